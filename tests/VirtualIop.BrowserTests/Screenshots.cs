namespace VirtualIop.BrowserTests;

/// <summary>
/// Where the browser tier saves its full-page screenshots: <c>TestResults/screenshots/&lt;test&gt;/&lt;n&gt;-&lt;page&gt;.png</c>
/// under the repository root (CI uploads the folder as an artefact). Each test starts with an empty folder of its own.
/// </summary>
public static class Screenshots
{
    public static string Root { get; } = Path.Combine(SourceTree.Root, "TestResults", "screenshots");

    public static string FolderFor(string test)
    {
        var folder = Path.Combine(Root, string.Concat(test.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }
}
