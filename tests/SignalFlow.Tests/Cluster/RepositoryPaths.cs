namespace SignalFlow.Tests.Cluster;

internal static class RepositoryPaths
{
    /// <summary>The folder holding SignalFlow.sln, found upwards from the test assembly.</summary>
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SignalFlow.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException($"No SignalFlow.sln above {AppContext.BaseDirectory}.");
        }
    }
}
