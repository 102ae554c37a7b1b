using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Berth.Distribution.Server;

/// <summary>Counters of a serving registry, written in Prometheus' text format at <c>/metrics</c>.</summary>
public sealed class RegistryMetrics
{
    readonly ConcurrentDictionary<(string Method, int Status), long> _requests = new();
    long _blobBytesSent;
    long _blobBytesReceived;

    public void Request(string method, int status) => _requests.AddOrUpdate((method, status), 1, (_, n) => n + 1);

    public void BlobSent(long bytes) => Interlocked.Add(ref _blobBytesSent, bytes);

    public void BlobReceived(long bytes) => Interlocked.Add(ref _blobBytesReceived, bytes);

    public long Requests(string method, int status) => _requests.GetValueOrDefault((method, status));

    public string Render(int uploadsInProgress)
    {
        var text = new StringBuilder();
        text.Append("# HELP berth_registry_http_requests_total Requests served, by method and status.\n");
        text.Append("# TYPE berth_registry_http_requests_total counter\n");
        foreach (var ((method, status), count) in _requests.OrderBy(r => r.Key.Method, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
            text.Append(CultureInfo.InvariantCulture, $"berth_registry_http_requests_total{{method=\"{method}\",code=\"{status}\"}} {count}\n");
        Counter(text, "berth_registry_blob_bytes_sent_total", "Blob bytes sent to clients.", Interlocked.Read(ref _blobBytesSent));
        Counter(text, "berth_registry_blob_bytes_received_total", "Blob bytes received in uploads.", Interlocked.Read(ref _blobBytesReceived));
        text.Append("# HELP berth_registry_uploads_in_progress Blob uploads started and not yet completed or cancelled.\n");
        text.Append("# TYPE berth_registry_uploads_in_progress gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"berth_registry_uploads_in_progress {uploadsInProgress}\n");
        text.Append("# HELP process_resident_memory_bytes Resident memory size in bytes.\n");
        text.Append("# TYPE process_resident_memory_bytes gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"process_resident_memory_bytes {Environment.WorkingSet}\n");
        return text.ToString();
    }

    static void Counter(StringBuilder text, string name, string help, long value)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");
    }
}
