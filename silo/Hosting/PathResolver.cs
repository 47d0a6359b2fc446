namespace SignalFlow.Silo.Hosting;

/// <summary>
/// Resolves a configured relative path against the working directory first, then the application directory, so
/// the bundled data is found whether the silo is started from the repository root, its project or a container.
/// </summary>
internal static class PathResolver
{
    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path) || Directory.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        return Path.Combine(AppContext.BaseDirectory, path);
    }
}
