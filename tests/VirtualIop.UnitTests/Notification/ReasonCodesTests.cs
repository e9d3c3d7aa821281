using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MimeKit;
using VirtualIop.Notification.Channels;
using VirtualIop.Notification.Channels.Email;

namespace VirtualIop.UnitTests.Notification;

/// <summary>A failed send is recorded and logged by a reason code; the provider's text, which may quote the recipient, never gets through.</summary>
public class ReasonCodesTests
{
    [Fact]
    public void A_mail_server_refusal_that_quotes_the_recipient_becomes_its_status_name_only()
    {
        var refused = new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable,
            new MailboxAddress("", "patient@example.org"), "5.1.1 <patient@example.org>: mailbox unavailable");

        Assert.Equal("smtp.mailbox_unavailable", SmtpFailures.Reason(refused));
    }

    [Fact]
    public void An_unlisted_smtp_status_and_network_trouble_still_get_a_code()
    {
        var odd = new SmtpCommandException(SmtpErrorCode.UnexpectedStatusCode, (SmtpStatusCode)599, "5.9.9 <patient@example.org> odd");

        Assert.Equal("smtp.status_599", SmtpFailures.Reason(odd));
        Assert.Equal("smtp.connection_failed", SmtpFailures.Reason(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.Equal("smtp.timeout", SmtpFailures.Reason(new TimeoutException("patient@example.org")));
    }

    [Fact]
    public void An_http_provider_failure_is_named_by_its_status_or_its_kind()
    {
        Assert.Equal("sms.http_503", HttpFailures.Reason("sms", HttpStatusCode.ServiceUnavailable));
        Assert.Equal("push.connection_error",
            HttpFailures.Reason("push", new HttpRequestException(HttpRequestError.ConnectionError, "to +15551234567 refused")));
        Assert.Equal("sms.timeout", HttpFailures.Reason("sms", new TaskCanceledException("timed out", new TimeoutException())));
    }
}
