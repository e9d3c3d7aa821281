namespace VirtualIop.Web.Resources;

/// <summary>The strings of the page for family and supporters (Supporters.resx, Supporters.es.resx).</summary>
public sealed class Supporters;
