-- Reads of patient data move to the building blocks' audit_log (created before this service's scripts run), where
-- every service keeps its reads and changes: the rows recorded so far are kept, under the resource names the
-- endpoints now carry.
insert into audit_log (clinic_id, client_id, action, resource, patient_id, occurred_at)
select clinic_id, client_id, 'read', 'engagement.' || resource, patient_id, read_at
from patient_data_read;

drop table patient_data_read;
