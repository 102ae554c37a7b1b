using Berth.Oci.Runtime;
using Berth.Oci.Tests.Reference;
using Berth.Oci.Tests.SpecReader;

namespace Berth.Oci.Tests.Writer;

/// <summary>
/// OciJson's writer (OciWriter and GoEscaping) against the serializer it replaced (<see cref="Serializer"/>): the same
/// bytes, compact and indented as runc indents each document (a tab, two spaces, four spaces), for every document
/// type on documents with every property set, with every property at its default, runc's and Berth's default specs,
/// and random documents.
/// </summary>
public sealed class WriterTests
{
    private const int RandomDocumentsPerType = 300;

    [Fact]
    public void Every_property_of_every_type_set()
    {
        AssertAllTypes(new Maximal());
    }

    [Fact]
    public void Every_property_at_its_default()
    {
        AssertAllTypes(new AllDefaults());
    }

    [Theory]
    [MemberData(nameof(Documents.Names), MemberType = typeof(Documents))]
    public void Specs_read_from_documents(string name)
    {
        RuntimeSpec spec = Serializer.ReadValid<RuntimeSpec>(Documents.Named(name));

        AssertWritesAsSerializer(spec);
        AssertWritesAsSerializer(spec.Process);
        AssertWritesAsSerializer(spec.Linux?.Resources);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Default_specs(bool rootless)
    {
        AssertWritesAsSerializer(DefaultSpec.Create(rootless, 1000, 1000));
    }

    [Fact]
    public void Null_and_empty()
    {
        AssertWritesAsSerializer<RuntimeSpec>(null);
        AssertWritesAsSerializer<List<ContainerState>>([]);
        AssertWritesAsSerializer(new RuntimeSpec());
        AssertWritesAsSerializer(new Features());
        AssertWritesAsSerializer(new ContainerProcessState());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Random_documents(int seed)
    {
        AssertAllTypes(new Randomly(seed));
    }

    private interface IMaker
    {
        T Make<T>() where T : class;
    }

    private sealed class Maximal : IMaker
    {
        public T Make<T>() where T : class => Documents.Maximal<T>();
    }

    private sealed class AllDefaults : IMaker
    {
        public T Make<T>() where T : class => RandomDocuments.Defaults<T>();
    }

    private sealed class Randomly(int seed) : IMaker
    {
        private readonly RandomDocuments _documents = new(seed);

        public T Make<T>() where T : class => _documents.Next<T>();
    }

    private static void AssertAllTypes(IMaker maker)
    {
        int count = maker is Randomly ? RandomDocumentsPerType : 1;
        for (int i = 0; i < count; i++)
        {
            AssertWritesAsSerializer(maker.Make<RuntimeSpec>());
            AssertWritesAsSerializer(maker.Make<Process>());
            AssertWritesAsSerializer(maker.Make<LinuxResources>());
            AssertWritesAsSerializer(maker.Make<ContainerState>());
            AssertWritesAsSerializer(maker.Make<List<ContainerState>>());
            AssertWritesAsSerializer(maker.Make<HookState>());
            AssertWritesAsSerializer(maker.Make<ContainerProcessState>());
            AssertWritesAsSerializer(maker.Make<Features>());
        }
    }

    private static void AssertWritesAsSerializer<T>(T? value) where T : class
    {
        DefaultSpecTests.AssertBytes(Serializer.WriteCompact(value), OciJson.WriteCompact(value));
        DefaultSpecTests.AssertBytes(Serializer.WriteIndented(value), OciJson.WriteIndented(value));
        DefaultSpecTests.AssertBytes(Serializer.WriteIndented(value, ' ', 2), OciJson.WriteIndented(value, ' ', 2));
        DefaultSpecTests.AssertBytes(Serializer.WriteIndented(value, ' ', 4), OciJson.WriteIndented(value, ' ', 4));
    }
}
