using System.Globalization;
using System.Text;

namespace Berth.Http;

/// <summary>The <c>Date</c> header line (IMF-fixdate), formatted once a second rather than once a response.</summary>
internal static class HttpDate
{
    sealed record Line(long Second, byte[] Bytes);

    static Line? s_current;

    public static ReadOnlySpan<byte> HeaderLine
    {
        get
        {
            var now = DateTime.UtcNow;
            long second = now.Ticks / TimeSpan.TicksPerSecond;
            var line = s_current;
            if (line is null || line.Second != second)
            {
                line = new Line(second, Encoding.ASCII.GetBytes($"Date: {now.ToString("r", CultureInfo.InvariantCulture)}\r\n"));
                s_current = line;
            }
            return line.Bytes;
        }
    }
}
