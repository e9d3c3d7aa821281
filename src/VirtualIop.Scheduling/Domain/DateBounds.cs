using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Scheduling.Domain;

/// <summary>
/// The rules' side of <see cref="InputBounds"/>: an instant outside 2000–2100 is refused naming its field before any
/// arithmetic on it (adding a session's length to 9999-12-31T23:59Z would overflow).
/// </summary>
public static class DateBounds
{
    public const string Message = InputBounds.OutOfRangeMessage;

    public static FieldError? Check(string field, DateTimeOffset value) => InputBounds.IsWithin(value) ? null : new FieldError(field, Message);
}
