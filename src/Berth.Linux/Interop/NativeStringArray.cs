using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>A NULL-terminated char*[] of UTF-8 strings in native memory (argv, envp).</summary>
internal sealed unsafe class NativeStringArray : IDisposable
{
    readonly byte** _array;
    readonly int _count;

    public NativeStringArray(IReadOnlyList<string> items)
    {
        _count = items.Count;
        _array = (byte**)NativeMemory.AllocZeroed((nuint)(_count + 1), (nuint)sizeof(nint));
        for (int i = 0; i < _count; i++)
            _array[i] = (byte*)Marshal.StringToCoTaskMemUTF8(items[i]);
    }

    public byte** Pointer => _array;

    public void Dispose()
    {
        for (int i = 0; i < _count; i++)
            Marshal.FreeCoTaskMem((nint)_array[i]);
        NativeMemory.Free(_array);
    }
}
