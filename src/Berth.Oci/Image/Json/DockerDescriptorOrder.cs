using System.Text.Json.Serialization.Metadata;

namespace Berth.Oci.Image.Json;

/// <summary>
/// Docker's schema 2 descriptor (distribution's <c>Descriptor</c>): <c>mediaType, size, digest, urls, annotations,
/// platform</c>, all omitempty, where OCI writes <c>mediaType, digest, size</c> and always writes those three. Applied
/// after <see cref="GoOmitEmpty"/> when a Docker manifest or manifest list is written, so that writing what was read
/// gives Docker's bytes.
/// </summary>
internal static class DockerDescriptorOrder
{
    public static void Apply(JsonTypeInfo info)
    {
        if (info.Type != typeof(Descriptor))
        {
            return;
        }
        JsonPropertyInfo size = info.Properties.Single(p => p.Name == "size");
        info.Properties.Remove(size);
        info.Properties.Insert(info.Properties.IndexOf(info.Properties.Single(p => p.Name == "digest")), size);
        foreach (JsonPropertyInfo property in info.Properties)
        {
            property.ShouldSerialize = static (_, value) => !GoOmitEmpty.IsEmpty(value);
        }
    }
}
