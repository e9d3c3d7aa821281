// Firely's POCOs declare every element nullable; here a missing element fails the assertion that reads it.
#nullable disable warnings
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Validation;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Scheduling.Messaging;
using VirtualIop.TestSupport;
using Task = System.Threading.Tasks.Task;

namespace VirtualIop.Scheduling.IntegrationTests;

/// <summary>
/// The FHIR R4 views as a FHIR client reads them: every answer parsed by Firely's strict parser and checked against the
/// R4 base definitions (required elements, cardinality and the required value sets such as Appointment.status).
/// </summary>
[Collection(SchedulingCollection.Name)]
public sealed class FhirViewTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static readonly FhirJsonDeserializer Parser = FhirJsonDeserializer.STRICT;

    static readonly Appointment.AppointmentStatus[] ServedStatuses =
    [
        Appointment.AppointmentStatus.Booked, Appointment.AppointmentStatus.Cancelled, Appointment.AppointmentStatus.Noshow,
        Appointment.AppointmentStatus.Fulfilled, Appointment.AppointmentStatus.Waitlist
    ];

    /// <summary>Parses a FHIR answer strictly and validates it (and, for a Bundle, each entry) against the R4 base definitions.</summary>
    static async Task<T> Read<T>(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK) where T : Resource
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var resource = Assert.IsType<T>(Parser.DeserializeResource(body));
        AssertValid(resource);
        if (resource is Bundle bundle) Assert.All(bundle.Entry, e => AssertValid(e.Resource));
        if (resource is Appointment appointment) Assert.Contains(appointment.Status!.Value, ServedStatuses);
        return (T)resource;
    }

    static void AssertValid(Resource resource)
    {
        var problems = resource.Validate(NarrativeValidationKind.FhirXhtml);
        Assert.True(problems.Count == 0, $"{resource.TypeName}/{resource.Id}: {string.Join("; ", problems.Select(p => p.Message))}");
    }

    static async Task AssertOutcome(HttpResponseMessage response, HttpStatusCode status, OperationOutcome.IssueType code, string? parameter = null)
    {
        var outcome = await Read<OperationOutcome>(response, status);
        var issue = Assert.Single(outcome.Issue, i => i.Code == code);
        if (parameter is not null) Assert.Contains(parameter, issue.Expression);
    }

    static string Id(Guid session, Guid patient) => $"{session:N}{patient:N}";

    Task WaitForOutcome(IIntegrationEvent e) =>
        Eventually.Until(() => scheduling.InboxRows(e.EventId, RecordAttendanceOutcome.InboxKey), n => n == 1, $"outcome of {e.GetType().Name} kept");

    async Task Deliver(params IIntegrationEvent[] events)
    {
        foreach (var e in events)
        {
            await (e switch
            {
                SessionAttended attended => scheduling.Broker.Publish(attended),
                SessionMissed missed => scheduling.Broker.Publish(missed),
                AbsenceNotified notice => scheduling.Broker.Publish(notice),
                AttendanceCorrected correction => scheduling.Broker.Publish(correction),
                _ => throw new ArgumentException($"Not an Attendance outcome event: {e.GetType().Name}", nameof(events))
            });
        }
        foreach (var e in events) await WaitForOutcome(e);
    }

    /// <summary>Moves a session to yesterday, as if it had taken place, keeping its length.</summary>
    async Task<(DateTimeOffset StartsAt, DateTimeOffset EndsAt)> MoveToYesterday(MakeupScenario scenario, JsonElement session)
    {
        var startsAt = session.GetProperty("startsAt").GetDateTimeOffset().AddDays(-3);
        var endsAt = session.GetProperty("endsAt").GetDateTimeOffset().AddDays(-3);
        await scheduling.Execute("update session set starts_at = @StartsAt, ends_at = @EndsAt where clinic_id = @Clinic and id = @Id",
            new { StartsAt = startsAt, EndsAt = endsAt, Clinic = scenario.ClinicId, Id = session.Id() });
        return (startsAt, endsAt);
    }

    [Fact]
    public async Task Each_patients_appointment_shows_their_outcome_the_participants_and_the_sessions_local_offset()
    {
        var scenario = await MakeupScenario.Start(scheduling, patients: 4);
        var session = scenario.Sessions[0];
        var (startsAt, endsAt) = await MoveToYesterday(scenario, session);
        var p = scenario.Patients;
        var checkedIn = startsAt.AddMinutes(10);
        await Deliver(
            new SessionAttended(Guid.NewGuid(), scenario.ClinicId, session.Id(), p[0], checkedIn),
            new SessionMissed(Guid.NewGuid(), scenario.ClinicId, session.Id(), p[1], startsAt, "America/New_York", startsAt.AddMinutes(15)),
            new AbsenceNotified(Guid.NewGuid(), scenario.ClinicId, Guid.NewGuid(), session.Id(), p[2], "illness", true, startsAt, "America/New_York",
                startsAt.AddHours(-5)));

        var appointments = new List<Appointment>();
        foreach (var patient in p)
            appointments.Add(await Read<Appointment>(await scenario.Clinic.GetAsync($"/api/fhir/Appointment/{Id(session.Id(), patient)}")));

        Assert.Equal([Appointment.AppointmentStatus.Fulfilled, Appointment.AppointmentStatus.Noshow, Appointment.AppointmentStatus.Cancelled,
            Appointment.AppointmentStatus.Booked], appointments.Select(a => a.Status!.Value));
        Assert.Equal(("http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason", "pat"),
            (appointments[2].CancelationReason.Coding[0].System, appointments[2].CancelationReason.Coding[0].Code));
        Assert.All(appointments.Where(a => a != appointments[2]), a => Assert.Null(a.CancelationReason));
        for (var i = 0; i < p.Length; i++)
        {
            var a = appointments[i];
            Assert.Equal(Id(session.Id(), p[i]), a.Id);
            Assert.Equal([$"Patient/{p[i]}", $"Practitioner/{scenario.Facilitator}"], a.Participant.Select(x => x.Actor.Reference));
            Assert.Equal((startsAt, endsAt), (a.Start!.Value, a.End!.Value));
            // Shown at the session's New York offset, not in UTC.
            Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById("America/New_York").GetUtcOffset(startsAt), a.Start.Value.Offset);
            Assert.Equal((int)(endsAt - startsAt).TotalMinutes, a.MinutesDuration);
        }
        Assert.Equal(ParticipationStatus.Declined, appointments[2].Participant[0].Status);

        var encounter = await Read<Encounter>(await scenario.Clinic.GetAsync($"/api/fhir/Encounter/{Id(session.Id(), p[0])}"));
        Assert.Equal(Encounter.EncounterStatus.Finished, encounter.Status);
        Assert.Equal((checkedIn, endsAt), (DateTimeOffset.Parse(encounter.Period.Start, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(encounter.Period.End, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(((endsAt - checkedIn).TotalMinutes, "min"), ((double)encounter.Length.Value!.Value, encounter.Length.Code));
        Assert.Equal($"Patient/{p[0]}", encounter.Subject.Reference);
        Assert.Equal($"Appointment/{Id(session.Id(), p[0])}", Assert.Single(encounter.Appointment).Reference);
        foreach (var absent in p.Skip(1))
            await AssertOutcome(await scenario.Clinic.GetAsync($"/api/fhir/Encounter/{Id(session.Id(), absent)}"), HttpStatusCode.NotFound,
                OperationOutcome.IssueType.NotFound);

        var cancelled = scenario.Sessions[1];
        (await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/sessions/{cancelled.Id()}/cancel", new { reason = "clinicianUnavailable" }))
            .EnsureSuccessStatusCode();
        var called = await Read<Appointment>(await scenario.Clinic.GetAsync($"/api/fhir/Appointment/{Id(cancelled.Id(), p[0])}"));
        Assert.Equal((Appointment.AppointmentStatus.Cancelled, "prov", "clinicianUnavailable"),
            (called.Status!.Value, called.CancelationReason.Coding[0].Code, called.CancelationReason.Text));
    }

    [Fact]
    public async Task Outcomes_converge_to_Attendances_newest_decision_whatever_order_and_however_often_they_arrive()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var session = scenario.Sessions[0];
        var (startsAt, _) = await MoveToYesterday(scenario, session);
        var patient = scenario.Patients[0];
        var missed = new SessionMissed(Guid.NewGuid(), scenario.ClinicId, session.Id(), patient, startsAt, "America/New_York", startsAt.AddMinutes(15));
        var corrected = new AttendanceCorrected(Guid.NewGuid(), scenario.ClinicId, session.Id(), patient, "noShow", "present", null, startsAt.AddHours(5));

        // The correction overtakes the no-show it corrects, and is delivered twice.
        await scheduling.Broker.Publish(corrected);
        await scheduling.Broker.Publish(corrected);
        await Deliver(missed);
        await WaitForOutcome(corrected);

        var appointment = await Read<Appointment>(await scenario.Clinic.GetAsync($"/api/fhir/Appointment/{Id(session.Id(), patient)}"));
        Assert.Equal(Appointment.AppointmentStatus.Fulfilled, appointment.Status);
        // No check-in was reported: the encounter runs from the session's start.
        var encounter = await Read<Encounter>(await scenario.Clinic.GetAsync($"/api/fhir/Encounter/{Id(session.Id(), patient)}"));
        Assert.Equal(startsAt, DateTimeOffset.Parse(encounter.Period.Start, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, await scheduling.InboxRows(corrected.EventId, RecordAttendanceOutcome.InboxKey));
    }

    [Fact]
    public async Task Searches_by_patient_date_and_status_answer_searchset_bundles_paged_by_keyset()
    {
        var scenario = await MakeupScenario.Start(scheduling, patients: 2, occurrences: 5);
        var patient = scenario.Patients[0];
        var starts = scenario.Sessions.Select(s => s.GetProperty("startsAt").GetDateTimeOffset()).ToList();
        await scenario.Miss(scenario.Sessions[0], patient);
        await WaitForOutcomeOfMiss(scenario, patient);

        var ids = new List<string>();
        string? next = $"/api/fhir/Appointment?patient=Patient/{patient}&_count=2";
        var pages = 0;
        for (; next is not null; pages++)
        {
            var bundle = await Read<Bundle>(await scenario.Clinic.GetAsync(next));
            Assert.Equal(Bundle.BundleType.Searchset, bundle.Type);
            Assert.Contains(bundle.Link, l => l.Relation == "self");
            Assert.All(bundle.Entry, e =>
            {
                Assert.EndsWith($"/api/fhir/Appointment/{e.Resource.Id}", e.FullUrl);
                Assert.Equal(Bundle.SearchEntryMode.Match, e.Search.Mode);
                Assert.Equal($"Patient/{patient}", ((Appointment)e.Resource).Participant[0].Actor.Reference);
            });
            ids.AddRange(bundle.Entry.Select(e => e.Resource.Id));
            next = bundle.Link.FirstOrDefault(l => l.Relation == "next")?.Url is { } url ? new Uri(url).PathAndQuery : null;
        }
        Assert.Equal(3, pages);
        Assert.Equal(scenario.Sessions.Select(s => Id(s.Id(), patient)), ids);

        var window = await Read<Bundle>(await scenario.Clinic.GetAsync(
            $"/api/fhir/Appointment?patient={patient}&date=ge{Uri.EscapeDataString(starts[1].ToString("yyyy-MM-ddTHH:mm:ssK"))}&date=le{Uri.EscapeDataString(starts[3].ToString("yyyy-MM-ddTHH:mm:ssK"))}"));
        Assert.Equal(scenario.Sessions.Skip(1).Take(3).Select(s => Id(s.Id(), patient)), window.Entry.Select(e => e.Resource.Id));

        var noShows = await Read<Bundle>(await scenario.Clinic.GetAsync($"/api/fhir/Appointment?status=noshow"));
        Assert.Equal([Id(scenario.Sessions[0].Id(), patient)], noShows.Entry.Select(e => e.Resource.Id));
        var booked = await Read<Bundle>(await scenario.Clinic.GetAsync($"/api/fhir/Appointment?status=booked,waitlist&_count=100"));
        Assert.Equal(9, booked.Entry.Count);
        Assert.Null(booked.Link.FirstOrDefault(l => l.Relation == "next"));

        await Deliver(new SessionAttended(Guid.NewGuid(), scenario.ClinicId, scenario.Sessions[2].Id(), patient, starts[2].AddMinutes(1)));
        var encounters = await Read<Bundle>(await scenario.Clinic.GetAsync($"/api/fhir/Encounter?patient=Patient/{patient}"));
        Assert.Equal([Id(scenario.Sessions[2].Id(), patient)], encounters.Entry.Select(e => e.Resource.Id));
        Assert.IsType<Encounter>(encounters.Entry[0].Resource);
    }

    Task WaitForOutcomeOfMiss(MakeupScenario scenario, Guid patient) =>
        Eventually.Until(async () => (await scenario.Clinic.GetAsync($"/api/fhir/Appointment?patient={patient}&status=noshow")).StatusCode == HttpStatusCode.OK
                                     && (await Read<Bundle>(await scenario.Clinic.GetAsync($"/api/fhir/Appointment?patient={patient}&status=noshow"))).Entry.Count == 1,
            done => done, "the no-show kept");

    [Fact]
    public async Task A_patient_waiting_for_a_seat_in_a_full_session_has_a_waitlist_makeup_appointment()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var cohortB = await scenario.Clinic.CreateCohort(scenario.Program.Id(), capacity: 1);
        await scenario.Clinic.Enrol(cohortB.Id(), Guid.NewGuid()).Created();
        var target = (await MakeupScenario.AddDailySeries(scenario.Clinic, cohortB.Id(), 2))[1];
        var patient = scenario.Patients[0];
        var makeup = await scenario.Miss(scenario.Sessions[0], patient);
        var seat = await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/group-seat", new { sessionId = target.Id() });
        Assert.Equal(HttpStatusCode.Accepted, seat.StatusCode);

        var waiting = await Read<Bundle>(await scenario.Clinic.GetAsync($"/api/fhir/Appointment?patient={patient}&status=waitlist"));

        var appointment = Assert.IsType<Appointment>(Assert.Single(waiting.Entry).Resource);
        Assert.Equal((Id(target.Id(), patient), Appointment.AppointmentStatus.Waitlist, ParticipationStatus.Tentative),
            (appointment.Id, appointment.Status!.Value, appointment.Participant[0].Status!.Value));
        Assert.Equal(("FOLLOWUP", "makeup"), (appointment.AppointmentType.Coding[0].Code, appointment.AppointmentType.Text));
    }

    [Fact]
    public async Task Another_clinics_appointment_is_a_FHIR_404_and_bad_search_parameters_a_400_naming_them_with_nothing_written()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var id = Id(scenario.Sessions[0].Id(), scenario.Patients[0]);
        var stranger = scheduling.ClientFor(Guid.NewGuid());

        await AssertOutcome(await stranger.GetAsync($"/api/fhir/Appointment/{id}"), HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound);
        await AssertOutcome(await stranger.GetAsync($"/api/fhir/Encounter/{id}"), HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound);
        Assert.Empty((await Read<Bundle>(await stranger.GetAsync($"/api/fhir/Appointment?patient={scenario.Patients[0]}"))).Entry);
        foreach (var malformed in new[] { "abc", id.ToUpperInvariant(), id[..63], new string('x', 3000) })
            await AssertOutcome(await scenario.Clinic.GetAsync($"/api/fhir/Appointment/{malformed}"), HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound);

        var rowsBefore = await scheduling.RowsFor(scenario.ClinicId);
        var auditBefore = (await scheduling.AuditRows(scenario.ClinicId)).Count;
        foreach (var (query, parameter) in new[]
                 {
                     ("patient=abc", "patient"), ("patient=Practitioner/" + Guid.NewGuid(), "patient"), ("date=2026-13-01", "date"),
                     ("date=ne2026-01-01", "date"), ("date=ge1900-01-01", "date"), ("date=2026-01-01T10:00", "date"), ("status=done", "status"),
                     ("status=booked&status=noshow", "status"), ("_count=0", "_count"), ("_count=101", "_count"), ("_count=abc", "_count"),
                     ("_cursor=zzz", "_cursor"), ("name=Smith", "name"), ("date:missing=true", "date:missing"), ("_format=xml", "_format")
                 })
        {
            await AssertOutcome(await scenario.Clinic.GetAsync($"/api/fhir/Appointment?{query}"), HttpStatusCode.BadRequest,
                OperationOutcome.IssueType.Invalid, parameter);
        }
        await AssertOutcome(await scenario.Clinic.GetAsync("/api/fhir/Encounter?status=finished"), HttpStatusCode.BadRequest,
            OperationOutcome.IssueType.Invalid, "status");
        Assert.Equal(rowsBefore, await scheduling.RowsFor(scenario.ClinicId));
        Assert.Equal(auditBefore, (await scheduling.AuditRows(scenario.ClinicId)).Count);
    }

    [Fact]
    public async Task Reads_are_audited_for_each_patient_they_show()
    {
        var scenario = await MakeupScenario.Start(scheduling, patients: 2);
        await Read<Bundle>(await scenario.Clinic.GetAsync("/api/fhir/Appointment?_count=100"));

        var rows = await scheduling.AuditRows(scenario.ClinicId);
        Assert.Equal(scenario.Patients.Order(), rows.Where(r => r.Resource == "fhir.appointment").Select(r => r.PatientId).Distinct().Order());
    }

    [Fact]
    public async Task The_CapabilityStatement_describes_the_read_and_search_interactions()
    {
        var statement = await Read<CapabilityStatement>(await scheduling.ClientFor(Guid.NewGuid()).GetAsync("/api/fhir/metadata"));

        Assert.Equal((FHIRVersion.N4_0_1, CapabilityStatementKind.Instance), (statement.FhirVersion!.Value, statement.Kind!.Value));
        var rest = Assert.Single(statement.Rest);
        Assert.Equal(["Appointment", "Encounter"], rest.Resource.Select(r => r.Type));
        Assert.Equal(["patient", "date", "status", "_count"], rest.Resource[0].SearchParam.Select(s => s.Name));
        Assert.Equal(HttpStatusCode.Unauthorized, (await scheduling.AnonymousClient().GetAsync("/api/fhir/metadata")).StatusCode);
    }
}
