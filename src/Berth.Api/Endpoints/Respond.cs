using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Http;
using Berth.Engine;
using Berth.Engine.Logs;
using Berth.Engine.Model;
using Berth.Images;

namespace Berth.Api.Endpoints;

/// <summary>Docker's response conventions: JSON bodies, <c>{"message": ...}</c> errors with its status codes.</summary>
public static class Respond
{
    /// <summary>A JSON body exactly as dockerd writes it (Go's encoder, HTML left unescaped, a final newline).</summary>
    public static Task Json<T>(HttpContext context, T value, JsonTypeInfo<T> info, int status = 200)
    {
        context.Response.StatusCode = status;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        DockerJson.Serialize(buffer, value, info, escapeHtml: false);
        System.Buffers.BuffersExtensions.Write(buffer, "\n"u8);
        return context.Response.WriteAsync(buffer.WrittenMemory, "application/json", context.Aborted);
    }

    public static Task NoContent(HttpContext context, int status = 204)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync(ReadOnlyMemory<byte>.Empty, null, context.Aborted);
    }

    public static Task Text(HttpContext context, string text, string contentType = "text/plain; charset=utf-8", int status = 200)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync(Encoding.UTF8.GetBytes(text), contentType, context.Aborted);
    }

    public static Task Error(HttpContext context, int status, string message)
        => Json(context, new ErrorResponse { Message = message }, DockerJson.Default.ErrorResponse, status);

    /// <summary>The status Docker answers an error of this kind with (500 only for real faults).</summary>
    public static (int Status, string Message) Map(Exception e) => e switch
    {
        EngineException ee => (ee.Kind switch
        {
            EngineErrorKind.InvalidParameter => 400,
            EngineErrorKind.NotFound => 404,
            EngineErrorKind.Conflict => 409,
            EngineErrorKind.Forbidden => 403,
            EngineErrorKind.NotModified => 304,
            EngineErrorKind.NotImplemented => 501,
            EngineErrorKind.Unauthorized => 401,
            _ => 500,
        }, ee.Message),
        StoreException se => (se.Kind switch
        {
            StoreErrorKind.InvalidArgument => 400,
            StoreErrorKind.NotFound => 404,
            StoreErrorKind.Conflict => 409,
            StoreErrorKind.DataLoss => 400,
            _ => 500,
        }, se.Message),
        LogConfigException le => (400, le.Message),
        DockerJsonException de => (400, de.Message),
        JsonException je => (400, je.Message),
        BadRequestException be => (400, be.Message),
        _ => (500, e.Message),
    };

    public static async Task<T> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> info, bool allowEmpty = false) where T : class, new()
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.Aborted);
        if (buffer.Length == 0)
        {
            if (allowEmpty)
                return new T();
            throw new BadRequestException("bad parameter: request body is empty");
        }
        try
        {
            return DockerJson.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), info) ?? (allowEmpty ? new T() : throw new BadRequestException("bad parameter: request body is null"));
        }
        catch (DockerJsonException e)
        {
            throw new BadRequestException(e.Message);
        }
    }
}

/// <summary>A request the API refuses before it reaches the engine (400).</summary>
public sealed class BadRequestException(string message) : Exception(message);
