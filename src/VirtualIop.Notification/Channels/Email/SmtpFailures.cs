using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace VirtualIop.Notification.Channels.Email;

/// <summary>Which SMTP errors are worth another try (4xx replies, network and protocol trouble) and which are final (5xx replies).</summary>
public static class SmtpFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        SmtpCommandException command => !IsPermanent(command.StatusCode),
        SmtpProtocolException or ServiceNotConnectedException or SocketException or IOException or TimeoutException => true,
        // A rejected login is the sender's configuration, not this message: the delivery waits for it to be fixed.
        AuthenticationException => true,
        _ => false
    };

    public static bool IsPermanent(SmtpStatusCode status) => (int)status is >= 500 and < 600;

    /// <summary>
    /// The reason code of a failure ("smtp.mailbox_unavailable", "smtp.connection_failed"): the reply's status or the
    /// kind of failure, never the server's text, which may quote the recipient.
    /// </summary>
    public static string Reason(Exception exception) => "smtp." + exception switch
    {
        SmtpCommandException command => Enum.IsDefined(command.StatusCode)
            ? ChannelResilience.Snake(command.StatusCode.ToString())
            : $"status_{(int)command.StatusCode}",
        SmtpProtocolException => "protocol_error",
        ServiceNotConnectedException => "not_connected",
        AuthenticationException => "authentication_failed",
        SocketException or IOException => "connection_failed",
        TimeoutException => "timeout",
        _ => ChannelResilience.Snake(exception.GetType().Name.Replace("Exception", ""))
    };
}
