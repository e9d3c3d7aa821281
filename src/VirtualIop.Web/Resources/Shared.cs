namespace VirtualIop.Web.Resources;

/// <summary>The strings of the layout and the pages every visitor sees (Shared.resx, Shared.es.resx).</summary>
public sealed class Shared;
