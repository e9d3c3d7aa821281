using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class InboundSmsKeywordsTests
{
    [Theory]
    [InlineData("STOP")]
    [InlineData("stop")]
    [InlineData("  Stop. ")]
    [InlineData("UNSUBSCRIBE")]
    [InlineData("quit")]
    [InlineData("ALTO")]
    public void The_carrier_stop_words_stop_messages(string body) => Assert.Equal(InboundSmsCommand.Stop, InboundSmsKeywords.Classify(body));

    [Theory]
    [InlineData("START")]
    [InlineData("unstop")]
    [InlineData("Yes!")]
    public void The_start_words_resume_messages(string body) => Assert.Equal(InboundSmsCommand.Start, InboundSmsKeywords.Classify(body));

    [Theory]
    [InlineData("HELP")]
    [InlineData("info")]
    [InlineData("Ayuda")]
    public void The_help_words_ask_for_help(string body) => Assert.Equal(InboundSmsCommand.Help, InboundSmsKeywords.Classify(body));

    [Theory]
    [InlineData("C")]
    [InlineData(" c. ")]
    [InlineData("Confirm")]
    public void C_confirms_the_session_reminded_of(string body) => Assert.Equal(InboundSmsCommand.Confirm, InboundSmsKeywords.Classify(body));

    [Theory]
    [InlineData("N")]
    [InlineData("n!")]
    public void N_says_the_patient_cannot_attend(string body) => Assert.Equal(InboundSmsCommand.Decline, InboundSmsKeywords.Classify(body));

    [Theory]
    [InlineData("no")]
    [InlineData("Can't come")]
    [InlineData("please don't stop")]
    [InlineData("stop it now")]
    [InlineData("")]
    [InlineData(null)]
    public void Only_a_whole_message_is_a_keyword(string? body) => Assert.Equal(InboundSmsCommand.Other, InboundSmsKeywords.Classify(body));
}
