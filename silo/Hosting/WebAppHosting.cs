namespace SignalFlow.Silo.Hosting;

public static class WebAppHosting
{
    /// <summary>
    /// The web app at <c>/</c>: the bundle the build puts in the web root (silo/webapp, see the project file), served as
    /// static files. It holds no secret and calls the HTTP API v1 with the key its user enters, so it needs no key itself.
    /// </summary>
    public static WebApplication MapSignalFlowWebApp(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            // The bundle's names do not change between versions: the browser revalidates (ETag) instead of running an old app.
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
