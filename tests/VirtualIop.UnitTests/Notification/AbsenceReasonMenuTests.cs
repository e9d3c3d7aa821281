using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public sealed class AbsenceReasonMenuTests
{
    [Theory]
    [InlineData("1", "technicalDifficulty")]
    [InlineData("2", "schedulingConflict")]
    [InlineData(" 3. ", "illness")]
    [InlineData("4!", "emergency")]
    [InlineData("5)", "lowMotivation")]
    [InlineData("6", "other")]
    public void Each_number_of_the_menu_picks_its_reason_category(string body, string category)
    {
        Assert.Equal(category, AbsenceReasonMenu.Choice(body));
        Assert.Equal(InboundSmsCommand.Reason, InboundSmsKeywords.Classify(body));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("7")]
    [InlineData("12")]
    [InlineData("3 days")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_but_one_number_of_the_menu_picks_nothing(string? body)
    {
        Assert.Null(AbsenceReasonMenu.Choice(body));
        Assert.NotEqual(InboundSmsCommand.Reason, InboundSmsKeywords.Classify(body));
    }

    [Theory]
    [InlineData(Language.En, "1 tech problems", "6 other")]
    [InlineData(Language.Es, "1 problemas técnicos", "6 otro")]
    public void The_question_lists_the_menu_in_the_patients_language_in_one_text(Language language, string first, string last)
    {
        var question = MessageTemplates.ReasonQuestion(language);

        Assert.Contains(first, question);
        Assert.EndsWith(last, question);
        Assert.True(question.Length <= 160, $"one SMS segment: {question.Length} characters");
    }

    [Theory]
    [InlineData(Language.En, "not waiting for an answer")]
    [InlineData(Language.Es, "no esperamos")]
    public void A_number_with_no_question_waiting_is_answered_politely_with_where_to_get_help(Language language, string expected)
    {
        var reply = MessageTemplates.NoQuestionReply(language, "https://care.example/help");

        Assert.Contains(expected, reply);
        Assert.Contains("https://care.example/help", reply);
        Assert.True(reply.Length <= 160, $"one SMS segment: {reply.Length} characters");
    }
}
