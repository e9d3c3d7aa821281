namespace VirtualIop.Web.Resources;

/// <summary>The strings of the patient pages (PatientText.resx, PatientText.es.resx).</summary>
public sealed class PatientText;
