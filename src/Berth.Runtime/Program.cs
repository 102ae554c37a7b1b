using Berth.Linux;
using Berth.Runtime.Cli;
using Berth.Runtime.Init;

namespace Berth.Runtime;

internal static class Program
{
    static int Main(string[] args)
    {
        int initPipe = NativeEntry.InitPipe();
        if (initPipe >= 0)
            return InitProcess.Run(initPipe);
        return Dispatcher.Run(args);
    }
}
