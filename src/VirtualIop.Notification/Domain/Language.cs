using System.Globalization;

namespace VirtualIop.Notification.Domain;

/// <summary>The languages messages are written in.</summary>
public enum Language
{
    En,
    Es
}

public static class Languages
{
    public static CultureInfo Culture(Language language) => language switch
    {
        Language.Es => CultureInfo.GetCultureInfo("es-ES"),
        _ => CultureInfo.GetCultureInfo("en-GB")
    };
}
