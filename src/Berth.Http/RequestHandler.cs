namespace Berth.Http;

/// <summary>Serves one request; the server finishes the response if the handler leaves it unfinished.</summary>
public delegate Task RequestHandler(HttpContext context);
