namespace VirtualIop.BrowserTests;

/// <summary>
/// Chromium with a fake camera and microphone that it grants without asking, for the technical check's media APIs
/// (getUserMedia) in a headless browser on a machine with no devices.
/// </summary>
public sealed class FakeMediaChromium : Chromium
{
    protected override IEnumerable<string> ExtraArguments => ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"];
}
