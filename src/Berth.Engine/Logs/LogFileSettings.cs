namespace Berth.Engine.Logs;

/// <summary>
/// How a driver's log file rotates, from its options as dockerd's json-file and local drivers read them (with
/// their error texts): rotate before an entry once the file has <see cref="MaxSize"/> bytes (-1: never), keep
/// <see cref="MaxFiles"/> files in all (the current one included), gzip the rotated ones when <see cref="Compress"/>.
/// </summary>
internal sealed record LogFileSettings(long MaxSize, int MaxFiles, bool Compress)
{
    public static LogFileSettings Parse(LogConfig config) => config.Type switch
    {
        LogDrivers.JsonFile => ParseJsonFile(config.Options),
        LogDrivers.Local => ParseLocal(config.Options),
        _ => throw new LogConfigException($"logger: no log driver named '{config.Type}' is registered"),
    };

    // jsonfilelog.New.
    static LogFileSettings ParseJsonFile(IReadOnlyDictionary<string, string> options)
    {
        long maxSize = -1;
        if (options.TryGetValue("max-size", out string? size))
        {
            if (!GoParse.TryFromHumanSize(size, out maxSize, out string error))
                throw new LogConfigException(error);
            if (maxSize <= 0)
                throw new LogConfigException("max-size must be a positive number");
        }
        int maxFiles = 1;
        if (options.TryGetValue("max-file", out string? files))
        {
            if (!GoParse.TryAtoi(files, out long count, out string error))
                throw new LogConfigException(error);
            if (count < 1)
                throw new LogConfigException("max-file cannot be less than 1");
            maxFiles = (int)Math.Min(count, int.MaxValue);
        }
        bool compress = false;
        if (options.TryGetValue("compress", out string? compressText))
        {
            if (!GoParse.TryParseBool(compressText, out compress, out string error))
                throw new LogConfigException(error);
            if (compress && (maxFiles == 1 || maxSize == -1))
                throw new LogConfigException("compress cannot be true when max-file is less than 2 or max-size is not set");
        }
        return new LogFileSettings(maxSize, maxFiles, compress);
    }

    // local's newConfig and validateConfig: 20 MB, 5 files, compressed by default.
    static LogFileSettings ParseLocal(IReadOnlyDictionary<string, string> options)
    {
        long maxSize = 20 * 1024 * 1024;
        if (options.TryGetValue("max-size", out string? size) && !GoParse.TryFromHumanSize(size, out maxSize, out string sizeError))
            throw new LogConfigException($"invalid value for max-size: {size}: {sizeError}");
        long maxFiles = 5;
        if (options.TryGetValue("max-file", out string? files) && !GoParse.TryAtoi(files, out maxFiles, out string filesError))
            throw new LogConfigException($"invalid value for max-file: {files}: {filesError}");
        bool compress = true;
        if (options.TryGetValue("compress", out string? compressText) && !GoParse.TryParseBool(compressText, out compress, out string compressError))
            throw new LogConfigException($"invalid boolean value for compress: {compressError}");
        if (maxSize < 0)
            throw new LogConfigException("max-size must not be negative");
        if (maxFiles < 0)
            throw new LogConfigException("max-file must not be negative");
        if (compress && maxFiles <= 1)
            throw new LogConfigException("compression cannot be enabled when max file count is 1");
        return new LogFileSettings(maxSize, (int)Math.Min(maxFiles, int.MaxValue), compress);
    }
}
