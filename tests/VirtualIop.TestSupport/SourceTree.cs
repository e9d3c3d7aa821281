namespace VirtualIop.TestSupport;

/// <summary>Where the repository and the build output are, for tests that run the services from their build output.</summary>
public static class SourceTree
{
    /// <summary>The repository root: the nearest folder above the test assembly that holds VirtualIop.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the test assembly was built in (tests/X/bin/{Configuration}/net10.0/).</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VirtualIop.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("The repository root (with VirtualIop.sln) is not above the test assembly.");
    }
}
