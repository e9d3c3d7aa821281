namespace VirtualIop.Scheduling.Domain;

/// <summary>A rule a request broke, named after the JSON field the client sent.</summary>
public sealed record FieldError(string Field, string Message);
