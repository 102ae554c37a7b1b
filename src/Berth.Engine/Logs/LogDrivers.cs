using Berth.Linux;

namespace Berth.Engine.Logs;

/// <summary>
/// The log drivers Berth has: "json-file" (Docker's default), "local" (Docker's protobuf format) and "none".
/// Every other name is refused as dockerd refuses a driver that is neither built in nor a plugin.
/// </summary>
public static class LogDrivers
{
    public const string JsonFile = "json-file";
    public const string Local = "local";
    public const string None = "none";

    /// <summary>The driver of a container that names none and of a daemon not told otherwise.</summary>
    public const string DefaultType = JsonFile;

    /// <summary>docker logs on a container whose driver keeps nothing to read.</summary>
    public const string NotReadableMessage = "configured logging driver does not support reading";

    // Options every driver takes (dockerd handles them before the driver sees the rest).
    static readonly string[] ModeOptions = ["mode", "max-buffer-size"];

    // json-file's and local's own (dockerd's ValidateLogOpt of each: the same names today).
    static readonly string[] FileDriverOptions = ["max-file", "max-size", "compress", "labels", "labels-regex", "env", "env-regex", "tag"];

    /// <summary>
    /// What dockerd checks when a container is created (logger.ValidateLogOpts) and when its logger starts (the
    /// driver's New): mode and max-buffer-size, that the driver exists, its option names and values. Throws
    /// <see cref="LogConfigException"/> with Docker's text. "none" takes any options, as in Docker.
    /// Several unknown options: the first in ordinal order is named (dockerd names a random one).
    /// </summary>
    public static void Validate(LogConfig config)
    {
        ValidateWithoutPatterns(config);
        foreach (string regexOption in (string[])["labels-regex", "env-regex"])
        {
            if (config.Options.TryGetValue(regexOption, out string? pattern) && pattern.Length > 0)
                LogAttributes.CompileGoRegex(pattern);
        }
    }

    // All but the regular expressions, which only the daemon needs (it extracts the attributes): the shim, which
    // creates writers, is published with NativeAOT and stays without a regex engine.
    static void ValidateWithoutPatterns(LogConfig config)
    {
        if (config.Type == None)
            return;
        string mode = config.Options.GetValueOrDefault("mode", "");
        if (mode is not ("" or "blocking" or "non-blocking"))
            throw new LogConfigException($"logger: logging mode not supported: {mode}");
        if (config.Options.TryGetValue("max-buffer-size", out string? bufferSize))
        {
            if (mode != "non-blocking")
                throw new LogConfigException("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
            if (!GoParse.TryRamInBytes(bufferSize, out _, out string error))
                throw new LogConfigException("error parsing option max-buffer-size: " + error);
        }
        if (config.Type is not (JsonFile or Local))
            throw new LogConfigException($"logger: no log driver named '{config.Type}' is registered");
        foreach (string key in config.Options.Keys.Order(StringComparer.Ordinal))
        {
            if (ModeOptions.Contains(key) || FileDriverOptions.Contains(key))
                continue;
            throw new LogConfigException(config.Type == JsonFile
                ? $"unknown log opt '{key}' for json-file log driver"
                : $"unknown log opt '{key}' for log driver {config.Type}");
        }
        LogFileSettings.Parse(config);
    }

    /// <summary>Where the driver keeps the container's log, as dockerd names it: &lt;id&gt;-json.log, or local-logs/container.log; null for "none".</summary>
    /// <remarks>dockerd shows the json-file path as the container's LogPath and keeps the local driver's out of the API.</remarks>
    public static string? LogPath(LogConfig config, string containerDirectory, string containerId) => config.Type switch
    {
        JsonFile => Path.Combine(containerDirectory, containerId + "-json.log"),
        Local => Path.Combine(containerDirectory, "local-logs", "container.log"),
        _ => null,
    };

    /// <summary>Whether docker logs can read the driver's log back (otherwise it answers <see cref="NotReadableMessage"/>).</summary>
    public static bool CanRead(string type) => type is JsonFile or Local;

    /// <summary>
    /// The writer for a container's log at <paramref name="path"/> (<see cref="LogPath"/>), appending to what is
    /// there. <paramref name="attributes"/> are the entries' extra attributes (see <see cref="LogAttributes.Extract"/>):
    /// json-file writes them as each entry's "attrs", local as its attrs field. "none" gives a writer that drops
    /// everything. Throws <see cref="LogConfigException"/> for a configuration <see cref="Validate"/> refuses.
    /// </summary>
    public static IContainerLogWriter Create(LogConfig config, string path, IReadOnlyDictionary<string, string>? attributes = null)
    {
        if (config.Type == None)
            return new DiscardingLogWriter();
        ValidateWithoutPatterns(config);
        var settings = LogFileSettings.Parse(config);
        ILogEntryEncoder encoder;
        if (config.Type == JsonFile)
        {
            encoder = new JsonFileEncoder(attributes);
        }
        else
        {
            // dockerd makes local-logs 0700 when the logger starts.
            string? directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory))
                Files.TryMakeDirectory(directory, 0b111_000_000); // 0700
            encoder = new LocalEncoder(attributes);
        }
        return new ContainerLogWriter(new RotatingLogFile(path, settings), encoder);
    }

    sealed class DiscardingLogWriter : IContainerLogWriter
    {
        public void Write(LogSource source, ReadOnlySpan<byte> chunk, DateTimeOffset now)
        {
        }

        public void Complete(LogSource source, DateTimeOffset now)
        {
        }

        public void Dispose()
        {
        }
    }
}
