// Validates one rendered kustomize overlay offline (no cluster):
//   kubectl kustomize deploy/k8s/overlays/prod | node deploy/k8s/validate/validate.mjs prod
// 1. every built-in object against the Kubernetes schemas (kubernetes-models);
// 2. every operator object against its CRD's openAPIV3Schema kept in deploy/k8s/crds (ajv), unknown fields refused as
//    kubectl's strict field validation would (CEL x-kubernetes-validations are not evaluated offline);
// 3. the deployment rules docs/operations.md promises (probes, non-root read-only pods, replicas, one Ingress, ...).
// Prints one line per failure and exits 1, or prints a summary and exits 0.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";
import Ajv from "ajv";

const overlay = process.argv[2];
if (!overlay) {
  console.error("usage: kubectl kustomize deploy/k8s/overlays/<name> | node validate.mjs <name>");
  process.exit(2);
}
const production = overlay === "prod";
const here = path.dirname(fileURLToPath(import.meta.url));
const objects = yaml.loadAll(fs.readFileSync(0, "utf8")).filter(o => o && typeof o === "object");
const failures = [];
const fail = (o, message) => failures.push(`${o ? `${o.kind}/${o.metadata?.name}: ` : ""}${message}`);

// --- CRD schemas -------------------------------------------------------------------------------------------------
// Objects that list their fields refuse others (the API server's strict field validation), unless the schema keeps
// unknown fields on purpose.
function strict(schema) {
  if (!schema || typeof schema !== "object") return schema;
  if (Array.isArray(schema)) return schema.map(strict);
  const copy = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] = key === "properties"
      ? Object.fromEntries(Object.entries(value).map(([name, s]) => [name, strict(s)]))
      : strict(value);
  }
  if (copy.type === "object" && copy.properties && copy.additionalProperties === undefined
      && !copy["x-kubernetes-preserve-unknown-fields"]) {
    copy.additionalProperties = false;
  }
  return copy;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const crdValidators = new Map();
const crdDirectory = path.join(here, "..", "crds");
for (const file of fs.readdirSync(crdDirectory).filter(f => f.endsWith(".yaml"))) {
  for (const crd of yaml.loadAll(fs.readFileSync(path.join(crdDirectory, file), "utf8"))) {
    if (crd?.kind !== "CustomResourceDefinition") continue;
    for (const version of crd.spec.versions) {
      const schema = strict(version.schema.openAPIV3Schema);
      schema.properties.metadata = { type: "object" };
      crdValidators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(schema));
    }
  }
}

// --- schemas ------------------------------------------------------------------------------------------------------
for (const o of objects) {
  if (!o.apiVersion || !o.kind || !o.metadata?.name) {
    fail(o, "apiVersion, kind and metadata.name are required");
    continue;
  }
  const crd = crdValidators.get(`${o.apiVersion}/${o.kind}`);
  if (crd) {
    if (!crd(o)) {
      for (const e of crd.errors) fail(o, `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);
    }
    continue;
  }
  let model;
  try {
    model = (await import(`kubernetes-models/${o.apiVersion}`))[o.kind];
  } catch {
    model = undefined;
  }
  if (!model) {
    fail(o, `unknown kind ${o.apiVersion} ${o.kind}: neither a built-in kind nor a CRD in deploy/k8s/crds`);
    continue;
  }
  try {
    new model(o).validate();
  } catch (e) {
    fail(o, e.message);
  }
}

// --- deployment rules ---------------------------------------------------------------------------------------------
const of = kind => objects.filter(o => o.kind === kind);
const deployments = of("Deployment");
const selects = (selector, labels) => selector && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
if (deployments.length !== 6) fail(null, `expected 6 Deployments (gateway, four services, web), found ${deployments.length}`);

for (const d of deployments) {
  const pod = d.spec?.template?.spec ?? {};
  const labels = d.spec?.template?.metadata?.labels ?? {};
  const minimum = production ? 2 : 1;
  if (!(d.spec?.replicas >= minimum)) fail(d, `replicas must be at least ${minimum} in ${overlay}`);
  if (pod.securityContext?.runAsNonRoot !== true) fail(d, "pod securityContext.runAsNonRoot must be true");
  if (!(pod.securityContext?.runAsUser > 0)) fail(d, "pod securityContext.runAsUser must be a non-root uid");
  for (const c of pod.containers ?? []) {
    const where = `container ${c.name}`;
    if (c.readinessProbe?.httpGet?.path !== "/health") fail(d, `${where}: readinessProbe must GET /health`);
    if (c.livenessProbe?.httpGet?.path !== "/alive") fail(d, `${where}: livenessProbe must GET /alive`);
    const startup = c.startupProbe;
    if (!startup?.httpGet) fail(d, `${where}: startupProbe is required (migrations run at start)`);
    else if ((startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3) < 120)
      fail(d, `${where}: startupProbe must allow at least 120 s for migrations`);
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory)
      fail(d, `${where}: resources.requests (cpu, memory) and limits.memory are required`);
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) fail(d, `${where}: securityContext.readOnlyRootFilesystem must be true`);
    if (sc.allowPrivilegeEscalation !== false) fail(d, `${where}: securityContext.allowPrivilegeEscalation must be false`);
    if (!sc.capabilities?.drop?.includes("ALL")) fail(d, `${where}: securityContext.capabilities must drop ALL`);
    const tmp = (c.volumeMounts ?? []).find(m => m.mountPath === "/tmp");
    if (!tmp || !(pod.volumes ?? []).some(v => v.name === tmp.name && v.emptyDir)) fail(d, `${where}: /tmp must be an emptyDir`);
    if (!(c.ports ?? []).some(p => p.containerPort === 8080)) fail(d, `${where}: must expose port 8080`);
  }
  if (!of("Service").some(s => selects(s.spec?.selector, labels))) fail(d, "no Service selects its pods");
  if (!of("PodDisruptionBudget").some(p => selects(p.spec?.selector?.matchLabels, labels))) fail(d, "no PodDisruptionBudget covers its pods");
  const hpa = of("HorizontalPodAutoscaler").find(h => h.spec?.scaleTargetRef?.kind === "Deployment" && h.spec?.scaleTargetRef?.name === d.metadata.name);
  if (!hpa) fail(d, "no HorizontalPodAutoscaler scales it");
  else if (production && !(hpa.spec.minReplicas >= 2)) fail(hpa, "minReplicas must be at least 2 in prod");
  const env = Object.fromEntries((pod.containers?.[0]?.env ?? []).map(e => [e.name, e.value]));
  const databaseSetting = Object.keys(env).find(k => /^ConnectionStrings__\w+db$/.test(k));
  if (labels["virtualiop.io/role"] === "service") {
    const service = d.metadata.name;
    if (!databaseSetting) fail(d, "a service needs its ConnectionStrings__<service>db");
    else if (!env[databaseSetting].includes(`Database=${service};`) || !env[databaseSetting].includes(`Username=${service};`))
      fail(d, `${databaseSetting} must open database ${service} as role ${service}`);
    if (!("ConnectionStrings__rabbitmq" in env)) fail(d, "a service needs ConnectionStrings__rabbitmq");
  } else if (databaseSetting) {
    fail(d, "only the services reach a database");
  }
  const secretsInline = Object.entries(env).filter(([k, v]) => /Password|Secret|Token/i.test(k) && v && !v.includes("$("));
  for (const [k] of secretsInline) fail(d, `${k} must come from a Secret, not a literal`);
}

const ingresses = of("Ingress");
if (ingresses.length !== 1) fail(null, `exactly one Ingress (the gateway's) expected, found ${ingresses.length}`);
for (const i of ingresses) {
  for (const rule of i.spec?.rules ?? [])
    for (const p of rule.http?.paths ?? [])
      if (p.backend?.service?.name !== "gateway") fail(i, `only the gateway is exposed, not ${p.backend?.service?.name}`);
}
for (const s of of("Service"))
  if (s.spec?.type && s.spec.type !== "ClusterIP") fail(s, `type ${s.spec.type}: only the gateway's Ingress is exposed`);

const database = of("Cluster").find(c => c.apiVersion.startsWith("postgresql.cnpg.io/"));
if (!database) fail(null, "no CloudNativePG Cluster");
else {
  if (production && !(database.spec?.instances >= 3)) fail(database, "instances must be at least 3 in prod");
  const roles = (database.spec?.managed?.roles ?? []).map(r => r.name);
  const hba = database.spec?.postgresql?.pg_hba ?? [];
  for (const d of deployments.filter(x => x.spec?.template?.metadata?.labels?.["virtualiop.io/role"] === "service")) {
    const service = d.metadata.name;
    if (!roles.includes(service)) fail(database, `no managed role ${service}`);
    if (!of("Database").some(db => db.spec?.name === service && db.spec?.owner === service && db.spec?.cluster?.name === database.metadata.name))
      fail(database, `no Database ${service} owned by role ${service}`);
    if (!hba.some(line => line.split(/\s+/)[1] === service && line.split(/\s+/)[2] === service))
      fail(database, `pg_hba must let role ${service} into database ${service}`);
    if (!hba.some(line => /\breject$/.test(line) && line.split(/\s+/)[1] === "all" && line.split(/\s+/)[2].split(",").includes(service)))
      fail(database, `pg_hba must refuse role ${service} every other database`);
  }
}
const broker = of("RabbitmqCluster")[0];
if (!broker) fail(null, "no RabbitmqCluster");
else if (production && broker.spec?.replicas !== 3) fail(broker, "replicas must be 3 in prod");

const policies = of("NetworkPolicy");
if (!policies.some(p => p.spec?.policyTypes?.includes("Ingress") && p.spec?.policyTypes?.includes("Egress")
    && !p.spec.ingress && !p.spec.egress && p.spec.podSelector?.matchLabels?.["virtualiop.io/tier"] === "app"))
  fail(null, "a default-deny NetworkPolicy for the application pods is required");

if (failures.length > 0) {
  for (const f of failures) console.log(`FAIL ${overlay}: ${f}`);
  process.exit(1);
}
const kinds = [...new Set(objects.map(o => o.kind))].sort().join(", ");
console.log(`ok ${overlay}: ${objects.length} objects valid (${kinds})`);
