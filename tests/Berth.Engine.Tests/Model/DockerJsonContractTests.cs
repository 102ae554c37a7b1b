using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Berth.Engine.Model;

namespace Berth.Engine.Tests.Model;

/// <summary>The model written and read as Go's encoding/json does with Docker 28's types.</summary>
public sealed class DockerJsonContractTests
{
    // json.Marshal(container.Config{}) and json.Marshal(container.HostConfig{}) with Docker 28's types.
    const string EmptyConfig =
        """{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":null,"Image":"","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":null}""";

    const string EmptyHostConfig =
        """{"Binds":null,"ContainerIDFile":"","LogConfig":{"Type":"","Config":null},"NetworkMode":"","PortBindings":null,"RestartPolicy":{"Name":"","MaximumRetryCount":0},"AutoRemove":false,"VolumeDriver":"","VolumesFrom":null,"ConsoleSize":[0,0],"CapAdd":null,"CapDrop":null,"CgroupnsMode":"","Dns":null,"DnsOptions":null,"DnsSearch":null,"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"","Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"SecurityOpt":null,"UTSMode":"","UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":0,"NanoCpus":0,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":null,"BlkioDeviceReadBps":null,"BlkioDeviceWriteBps":null,"BlkioDeviceReadIOps":null,"BlkioDeviceWriteIOps":null,"CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":null,"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,"MemorySwappiness":null,"OomKillDisable":null,"PidsLimit":null,"Ulimits":null,"CpuCount":0,"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,"ReadonlyPaths":null}""";

    [Fact]
    public void Zero_values_are_written_as_go_writes_its_zero_structs()
    {
        Assert.Equal(EmptyConfig, Write(new ContainerConfig(), DockerJson.Default.ContainerConfig));
        Assert.Equal(EmptyHostConfig, Write(new HostConfig(), DockerJson.Default.HostConfig));
    }

    [Fact]
    public void Omitempty_fields_are_left_out_when_empty_and_pointers_only_when_null()
    {
        var config = new ContainerConfig
        {
            StopSignal = "",
            Shell = [],
            ExposedPorts = [],
            MacAddress = "",
            Healthcheck = new HealthConfig { Test = [] },
            StopTimeout = 0,
        };
        string json = Write(config, DockerJson.Default.ContainerConfig);
        Assert.Equal(EmptyConfig[..^1] + ""","Healthcheck":{},"StopTimeout":0}""", Reordered(json, "Healthcheck", "StopTimeout"));
        Assert.DoesNotContain("StopSignal", json);
        Assert.DoesNotContain("Shell", json);
        Assert.DoesNotContain("ExposedPorts", json);
        Assert.DoesNotContain("MacAddress", json);
    }

    [Fact]
    public void The_raw_context_omits_null_and_zero_but_not_empty_strings()
    {
        // Documented: JsonSerializer with DockerJson.Default alone is Go's contract except for empty strings and collections.
        string raw = JsonSerializer.Serialize(new ContainerConfig { StopSignal = "", Shell = [] }, DockerJson.Default.ContainerConfig);
        Assert.Contains("\"StopSignal\":\"\"", raw);
        Assert.DoesNotContain("StopSignal", Write(new ContainerConfig { StopSignal = "" }, DockerJson.Default.ContainerConfig));
        Assert.DoesNotContain("StopTimeout", raw);
        Assert.DoesNotContain("ArgsEscaped", raw);
    }

    [Fact]
    public void Map_keys_are_written_in_go_order()
    {
        var labels = new Dictionary<string, string> { ["z"] = "1", ["é"] = "2", ["a"] = "3", ["B"] = "4", ["\U0001F600"] = "5", ["\uE000"] = "6" };
        Assert.Equal("{\"B\":\"4\",\"a\":\"3\",\"z\":\"1\",\"é\":\"2\",\"\uE000\":\"6\",\"\U0001F600\":\"5\"}",
            Write(labels, DockerJson.Default.DictionaryStringString));
    }

    [Fact]
    public void Unpublished_ports_stay_null_and_sets_are_empty_objects()
    {
        var settings = new NetworkSettings { Ports = new() { ["90/udp"] = null, ["80/tcp"] = [new PortBinding { HostIp = "0.0.0.0", HostPort = "8080" }] } };
        string json = Write(new ContainerInspect { NetworkSettings = settings }, DockerJson.Default.ContainerInspect);
        Assert.Contains("\"Ports\":{\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}],\"90/udp\":null}", json);

        var read = DockerJson.Deserialize("""{"Ports":{"80/tcp":null}}"""u8, DockerJson.Default.NetworkSettings)!;
        Assert.True(read.Ports!.ContainsKey("80/tcp"));
        Assert.Null(read.Ports["80/tcp"]);

        Assert.Contains("\"ExposedPorts\":{\"80/tcp\":{}}", Write(new ContainerConfig { ExposedPorts = new() { ["80/tcp"] = new() } }, DockerJson.Default.ContainerConfig));
    }

    [Fact]
    public void Properties_follow_gos_field_order_across_embedded_structs()
    {
        var request = new ContainerCreateRequest
        {
            Image = "busybox",
            HostConfig = new HostConfig { Mounts = [new ContainerMount { Type = "tmpfs", Target = "/t" }], Init = true },
            NetworkingConfig = new NetworkingConfig(),
        };
        string json = Write(request, DockerJson.Default.ContainerCreateRequest);
        int Position(string name) => json.IndexOf($"\"{name}\":", StringComparison.Ordinal);
        Assert.True(Position("Labels") < Position("HostConfig"));
        Assert.True(Position("HostConfig") < Position("NetworkingConfig"));
        Assert.True(Position("Isolation") < Position("CpuShares"));
        Assert.True(Position("IOMaximumBandwidth") < Position("Mounts"));
        Assert.True(Position("Mounts") < Position("MaskedPaths"));
        Assert.EndsWith("\"Init\":true},\"NetworkingConfig\":{\"EndpointsConfig\":null}}", json);

        var update = Write(new ContainerUpdateRequest(), DockerJson.Default.ContainerUpdateRequest);
        Assert.EndsWith("\"IOMaximumBandwidth\":0,\"RestartPolicy\":{\"Name\":\"\",\"MaximumRetryCount\":0}}", update);
    }

    [Fact]
    public void The_config_part_of_a_create_request_comes_out_alone()
    {
        var request = DockerJson.Deserialize("""{"Image":"busybox","Cmd":["true"],"Labels":{"a":"b"},"HostConfig":{"Memory":5}}"""u8,
            DockerJson.Default.ContainerCreateRequest)!;
        ContainerConfig config = request.ToContainerConfig();
        Assert.IsType<ContainerConfig>(config);
        Assert.Equal("busybox", config.Image);
        Assert.Equal(["true"], config.Cmd!);
        string json = Write(config, DockerJson.Default.ContainerConfig);
        Assert.DoesNotContain("HostConfig", json);
        Assert.Contains("\"Labels\":{\"a\":\"b\"}", json);
    }

    [Fact]
    public void Reading_matches_names_in_any_case_and_ignores_unknown_ones()
    {
        var request = DockerJson.Deserialize("""{"image":"x","HOSTNAME":"h","hostconfig":{"memory":7,"dns":["1.1.1.1"]},"NoSuchField":[1,{}]}"""u8,
            DockerJson.Default.ContainerCreateRequest)!;
        Assert.Equal("x", request.Image);
        Assert.Equal("h", request.Hostname);
        Assert.Equal(7, request.HostConfig!.Memory);
        Assert.Equal(["1.1.1.1"], request.HostConfig.Dns!);
    }

    [Fact]
    public void Null_leaves_go_values_at_zero_and_sets_go_pointers_to_null()
    {
        var request = DockerJson.Deserialize(
            """{"Hostname":null,"Tty":null,"Env":null,"StopTimeout":null,"Labels":{"a":null},"HostConfig":{"Memory":null,"LogConfig":null,"RestartPolicy":null,"ConsoleSize":null,"PidsLimit":null,"OomKillDisable":null,"BlkioWeight":null}}"""u8,
            DockerJson.Default.ContainerCreateRequest)!;
        Assert.Equal("", request.Hostname);
        Assert.False(request.Tty);
        Assert.Null(request.Env);
        Assert.Null(request.StopTimeout);
        Assert.Equal("", request.Labels!["a"]);
        HostConfig host = request.HostConfig!;
        Assert.Equal(0, host.Memory);
        Assert.NotNull(host.LogConfig);
        Assert.NotNull(host.RestartPolicy);
        Assert.Equal([0u, 0u], host.ConsoleSize);
        Assert.Null(host.PidsLimit);
        Assert.Null(host.OomKillDisable);

        Assert.Null(DockerJson.Deserialize("null"u8, DockerJson.Default.ContainerCreateRequest));
        Assert.Null(DockerJson.Deserialize("""{"HostConfig":null}"""u8, DockerJson.Default.ContainerCreateRequest)!.HostConfig);
    }

    [Fact]
    public void Strslice_fields_take_a_single_string()
    {
        var request = DockerJson.Deserialize("""{"Cmd":"echo hi","Entrypoint":["/bin/sh","-c"],"Shell":"sh","HostConfig":{"CapAdd":"NET_ADMIN"}}"""u8,
            DockerJson.Default.ContainerCreateRequest)!;
        Assert.Equal(["echo hi"], request.Cmd!);
        Assert.Equal(["/bin/sh", "-c"], request.Entrypoint!);
        Assert.Equal(["sh"], request.Shell!);
        Assert.Equal(["NET_ADMIN"], request.HostConfig!.CapAdd!);
        Assert.Contains("\"Cmd\":[\"echo hi\"]", Write(request, DockerJson.Default.ContainerCreateRequest));
    }

    [Fact]
    public void Console_sizes_are_read_as_gos_two_element_array()
    {
        Assert.Equal([24u, 0u], ReadHost("""{"ConsoleSize":[24]}""").ConsoleSize);
        Assert.Equal([24u, 80u], ReadHost("""{"ConsoleSize":[24,80,99]}""").ConsoleSize);
        var start = DockerJson.Deserialize("""{"Tty":true,"ConsoleSize":[30,100]}"""u8, DockerJson.Default.ExecStartRequest)!;
        Assert.Equal([30u, 100u], start.ConsoleSize!);
        Assert.Equal("""{"Detach":false,"Tty":true,"ConsoleSize":[30,100]}""", Write(start, DockerJson.Default.ExecStartRequest));
        Assert.Equal("""{"Detach":true,"Tty":false}""", Write(new ExecStartRequest { Detach = true }, DockerJson.Default.ExecStartRequest));
    }

    [Fact]
    public void Times_are_rfc3339_and_the_zero_time_is_written()
    {
        var stats = new ContainerStats { Read = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1230000) };
        string json = Write(stats, DockerJson.Default.ContainerStats);
        Assert.StartsWith("""{"read":"2024-05-06T07:08:09.123Z","preread":"0001-01-01T00:00:00Z","pids_stats":{},""", json);
        var read = DockerJson.Deserialize("""{"read":"2024-05-06T07:08:09.123456789Z","preread":null}"""u8, DockerJson.Default.ContainerStats)!;
        Assert.Equal(stats.Read.AddTicks(4567), read.Read);
        Assert.Equal(default, read.PreRead);
    }

    [Fact]
    public void Exec_inspect_writes_detach_keys_as_go_writes_a_byte_slice()
    {
        var inspect = new ExecInspect { ID = "e", DetachKeys = [16, 17], ProcessConfig = new ExecProcessConfig { Entrypoint = "sh", Arguments = [], Privileged = false } };
        string json = Write(inspect, DockerJson.Default.ExecInspect);
        Assert.Equal("""{"ID":"e","Running":false,"ExitCode":null,"ProcessConfig":{"tty":false,"entrypoint":"sh","arguments":[],"privileged":false},"OpenStdin":false,"OpenStderr":false,"OpenStdout":false,"CanRemove":false,"ContainerID":"","DetachKeys":"EBE=","Pid":0}""", json);
        Assert.Contains("\"DetachKeys\":\"\"", Write(new ExecInspect { DetachKeys = [] }, DockerJson.Default.ExecInspect));
    }

    [Fact]
    public void Responses_with_required_arrays_and_lone_optionals()
    {
        Assert.Equal("""{"Id":"abc","Warnings":[]}""", Write(new ContainerCreateResponse { Id = "abc" }, DockerJson.Default.ContainerCreateResponse));
        Assert.Equal("""{"StatusCode":137}""", Write(new ContainerWaitResponse { StatusCode = 137 }, DockerJson.Default.ContainerWaitResponse));
        Assert.Equal("""{"Error":{"Message":"boom"},"StatusCode":-1}""",
            Write(new ContainerWaitResponse { StatusCode = -1, Error = new() { Message = "boom" } }, DockerJson.Default.ContainerWaitResponse));
        Assert.Equal("""[{"Untagged":"a:latest"},{"Deleted":"sha256:x"}]""",
            Write([new ImageDeleteResponseItem { Untagged = "a:latest" }, new ImageDeleteResponseItem { Deleted = "sha256:x" }], DockerJson.Default.ListImageDeleteResponseItem));
        Assert.Equal("""{"message":"No such container: x"}""", Write(new ErrorResponse { Message = "No such container: x" }, DockerJson.Default.ErrorResponse));
        Assert.Equal("""[{"Kind":2,"Path":"/etc"}]""",
            Write([new FilesystemChange { Kind = FilesystemChangeKind.Deleted, Path = "/etc" }], DockerJson.Default.ListFilesystemChange));
        Assert.Equal("""{"name":"bin","size":4096,"mode":2147484141,"mtime":"2026-11-30T01:20:01Z","linkTarget":""}""",
            Write(new ContainerPathStat { Name = "bin", Size = 4096, Mode = 2147484141, Mtime = new DateTimeOffset(2026, 11, 30, 1, 20, 1, TimeSpan.Zero) }, DockerJson.Default.ContainerPathStat));
    }

    [Fact]
    public void Version_writes_its_platform_even_when_empty()
    {
        Assert.Equal("""{"Platform":{"Name":""},"Version":"","ApiVersion":"","GitCommit":"","GoVersion":"","Os":"","Arch":""}""",
            Write(new SystemVersion(), DockerJson.Default.SystemVersion));
    }

    [Fact]
    public void Events_carry_the_legacy_fields_only_when_set()
    {
        var message = new EventMessage { Type = "network", Action = "connect", Actor = new() { ID = "n", Attributes = new() { ["name"] = "none" } }, Scope = "local", Time = 1, TimeNano = 1000000001 };
        Assert.Equal("""{"Type":"network","Action":"connect","Actor":{"ID":"n","Attributes":{"name":"none"}},"scope":"local","time":1,"timeNano":1000000001}""",
            Write(message, DockerJson.Default.EventMessage));
        message.Status = "start";
        message.Id = "c";
        message.From = "busybox";
        Assert.StartsWith("""{"status":"start","id":"c","from":"busybox","Type":""", Write(message, DockerJson.Default.EventMessage));
    }

    [Fact]
    public void Memory_stats_keep_both_cgroup_versions_keys()
    {
        var v1 = DockerJson.Deserialize("""{"memory_stats":{"usage":765952,"max_usage":4583424,"stats":{"cache":24576,"total_rss":102400},"limit":67108864}}"""u8, DockerJson.Default.ContainerStats)!;
        Assert.Equal(4583424ul, v1.MemoryStats.MaxUsage);
        Assert.Equal(24576ul, v1.MemoryStats.Stats!["cache"]);
        var v2 = DockerJson.Deserialize("""{"memory_stats":{"usage":6537216,"stats":{"anon":24576,"file":5197824,"inactive_file":1114112},"limit":9223372036854771712}}"""u8, DockerJson.Default.ContainerStats)!;
        string json = Write(v2, DockerJson.Default.ContainerStats);
        Assert.Contains("""
            "memory_stats":{"usage":6537216,"stats":{"anon":24576,"file":5197824,"inactive_file":1114112},"limit":9223372036854771712}
            """, json);
        Assert.Contains("""
            "storage_stats":{},"cpu_stats":{"cpu_usage":{"total_usage":0,"usage_in_kernelmode":0,"usage_in_usermode":0},"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}}
            """, json);
    }

    [Fact]
    public void Build_cache_parents_keep_dockers_leading_space()
    {
        var record = new BuildCacheRecord { ID = "x", Parents = ["p"] };
        Assert.Contains("\" Parents\":[\"p\"]", Write(record, DockerJson.Default.BuildCacheRecord));
        Assert.Equal(["q"], DockerJson.Deserialize("""{" Parents":["q"]}"""u8, DockerJson.Default.BuildCacheRecord)!.Parents!);
    }

    [Fact]
    public void Every_type_resolves_and_every_map_is_written_in_go_order()
    {
        var seen = new HashSet<Type>();
        var roots = typeof(DockerJson).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!);
        foreach (Type root in roots)
            Visit(root, seen);
        Assert.Contains(typeof(ContainerMount), seen);
        Assert.Contains(typeof(NetworkStats), seen);
    }

    static void Visit(Type type, HashSet<Type> seen)
    {
        if (!seen.Add(type))
            return;
        JsonTypeInfo info = DockerJson.GoOptions.GetTypeInfo(type); // throws on colliding names
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            Assert.True(IsGoMap(info.Converter.GetType()), $"{type} is written by {info.Converter.GetType()}, not in Go's key order");
            Visit(type.GetGenericArguments()[1], seen);
            return;
        }
        if (info.Kind == JsonTypeInfoKind.Enumerable)
            Visit(info.ElementType!, seen);
        if (info.Kind == JsonTypeInfoKind.Object)
            foreach (JsonPropertyInfo property in info.Properties)
                Visit(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, seen);
    }

    static bool IsGoMap(Type? converter)
    {
        for (; converter is not null; converter = converter.BaseType)
            if (converter.IsGenericType && converter.GetGenericTypeDefinition() == typeof(GoMapConverter<>))
                return true;
        return false;
    }

    static HostConfig ReadHost(string json) => DockerJson.Deserialize(Encoding.UTF8.GetBytes(json), DockerJson.Default.HostConfig)!;

    internal static string Write<T>(T value, JsonTypeInfo<T> info) => Encoding.UTF8.GetString(DockerJson.Serialize(value, info));

    // Moves the named trailing properties to the end (they sit among the others in Go's field order).
    static string Reordered(string json, params string[] names)
    {
        using var document = JsonDocument.Parse(json);
        var properties = document.RootElement.EnumerateObject().ToList();
        var ordered = properties.Where(p => !names.Contains(p.Name)).Concat(names.Select(n => properties.Single(p => p.Name == n)));
        return "{" + string.Join(",", ordered.Select(p => $"\"{p.Name}\":{p.Value.GetRawText()}")) + "}";
    }
}
