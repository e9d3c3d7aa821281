namespace VirtualIop.Engagement.Domain;

public enum PlanChange
{
    Frequency,
    Modality
}

public enum TreatmentModality
{
    Group,
    Individual,
    Hybrid
}
