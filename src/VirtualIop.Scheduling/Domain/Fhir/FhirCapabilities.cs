using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace VirtualIop.Scheduling.Domain.Fhir;

/// <summary>What the FHIR views serve, as the CapabilityStatement at <c>/api/fhir/metadata</c> tells a FHIR client.</summary>
public static class FhirCapabilities
{
    public static CapabilityStatement Statement(DateTimeOffset publishedAt) => new()
    {
        Status = PublicationStatus.Active,
        DateElement = new FhirDateTime(publishedAt),
        Publisher = "VirtualIop",
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatement.SoftwareComponent { Name = "VirtualIop Scheduling" },
        Implementation = new CapabilityStatement.ImplementationComponent
        {
            Description = "Read-only FHIR R4 views of a clinic's sessions, makeups and waitlists: one Appointment per patient and session, and an Encounter once the patient attended. The clinic is the partner token's."
        },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = ["application/fhir+json"],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Documentation = $"Search parameters are handled strictly: an unknown parameter or an unreadable value answers 400 with an OperationOutcome. Pages hold _count results (1 to {FhirSearch.MaxCount}, default {FhirSearch.DefaultCount}); Bundle.link 'next' carries the cursor of the next page.",
                Security = new CapabilityStatement.SecurityComponent
                {
                    Description = "OAuth2 client credentials: a partner token with the scheduling scope, sent as 'Authorization: Bearer <token>'."
                },
                Resource =
                [
                    Resource(ResourceType.Appointment, ("patient", SearchParamType.Reference, "The patient's place: Patient/{id} or {id}"),
                        ("date", SearchParamType.Date, "Appointment.start, with eq, ge, gt, le or lt"),
                        ("status", SearchParamType.Token, "Appointment.status; several separated by commas")),
                    Resource(ResourceType.Encounter, ("patient", SearchParamType.Reference, "The patient who attended: Patient/{id} or {id}"),
                        ("date", SearchParamType.Date, "The session's scheduled start, with eq, ge, gt, le or lt"))
                ]
            }
        ]
    };

    static CapabilityStatement.ResourceComponent Resource(ResourceType type, params (string Name, SearchParamType Type, string Documentation)[] parameters) => new()
    {
        Type = type.GetLiteral(),
        Interaction =
        [
            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read },
            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType }
        ],
        ReadHistory = false,
        UpdateCreate = false,
        SearchParam =
        [
            .. parameters.Select(p => new CapabilityStatement.SearchParamComponent { Name = p.Name, Type = p.Type, Documentation = p.Documentation }),
            new CapabilityStatement.SearchParamComponent { Name = "_count", Type = SearchParamType.Number, Documentation = $"Results per page, 1 to {FhirSearch.MaxCount}" }
        ]
    };
}
