namespace VirtualIop.Web.Resources;

/// <summary>The strings of the clinician console (ConsoleText.resx, ConsoleText.es.resx).</summary>
public sealed class ConsoleText;
