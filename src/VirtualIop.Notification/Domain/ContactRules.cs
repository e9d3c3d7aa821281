using System.Text.RegularExpressions;

namespace VirtualIop.Notification.Domain;

/// <summary>Quiet hours in the patient's local time; Start after End spans midnight (21:00 to 08:00).</summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End);

/// <summary>What a phone number, a push address and quiet hours must look like to be stored.</summary>
public static partial class ContactRules
{
    public const int MaxPushAddressLength = 200;

    /// <summary>E.164: a plus, a country code that does not start with 0, at most 15 digits in all.</summary>
    public static bool IsE164(string phone) => E164().IsMatch(phone);

    /// <summary>"HH:mm" on the 24-hour clock.</summary>
    public static bool TryParseClockTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out time);

    /// <summary>An opaque reference to the patient in the clinic's app backend: printable, no spaces, bounded.</summary>
    public static bool IsPushAddress(string address) =>
        address.Length is > 0 and <= MaxPushAddressLength && address.All(c => c is > ' ' and < (char)127);

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();
}
