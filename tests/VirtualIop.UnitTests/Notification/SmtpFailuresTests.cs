using System.Net.Sockets;
using MailKit.Net.Smtp;
using MimeKit;
using VirtualIop.Notification.Channels.Email;

namespace VirtualIop.UnitTests.Notification;

public class SmtpFailuresTests
{
    [Fact]
    public void A_recipient_the_server_refuses_with_a_5xx_is_final()
    {
        var refused = new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable,
            new MailboxAddress("", "nobody@example.org"), "5.1.1 no such user");

        Assert.False(SmtpFailures.IsTransient(refused));
    }

    [Fact]
    public void A_4xx_reply_such_as_a_busy_mailbox_is_worth_another_try()
    {
        var busy = new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxBusy,
            new MailboxAddress("", "someone@example.org"), "4.2.1 try later");

        Assert.True(SmtpFailures.IsTransient(busy));
    }

    [Fact]
    public void Network_trouble_is_worth_another_try()
    {
        Assert.True(SmtpFailures.IsTransient(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.True(SmtpFailures.IsTransient(new IOException("connection reset")));
        Assert.True(SmtpFailures.IsTransient(new SmtpProtocolException("unexpected reply")));
    }

    [Fact]
    public void A_bug_is_not_retried()
    {
        Assert.False(SmtpFailures.IsTransient(new ArgumentException("bad argument")));
        Assert.False(SmtpFailures.IsTransient(new OperationCanceledException()));
    }
}
