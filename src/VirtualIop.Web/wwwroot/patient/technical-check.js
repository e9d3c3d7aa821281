// The patient's technical check: camera and microphone through getUserMedia (the browser asks for permission), the
// connection by timing one round trip to the site. Each result is shown in words and kept in the help form's hidden
// fields (ok, failed or skipped), so "ask for technical help" tells the help desk what was found.
const root = document.getElementById("technical-check");
const slowAfterMs = 3000;

function show(name, state) {
    const key = `${name}${state === "ok" ? "Ok" : "Failed"}`;
    document.getElementById(`${name}-status`).textContent = root.dataset[key];
    document.getElementById(`${name}-result`).value = state;
}

async function device(constraints) {
    if (!navigator.mediaDevices?.getUserMedia) return "failed";
    try {
        const stream = await navigator.mediaDevices.getUserMedia(constraints);
        const live = stream.getTracks().some(track => track.readyState === "live");
        stream.getTracks().forEach(track => track.stop());
        return live ? "ok" : "failed";
    } catch {
        return "failed";
    }
}

async function connection() {
    const started = performance.now();
    try {
        const response = await fetch(root.dataset.pingUrl, { cache: "no-store", credentials: "same-origin" });
        return response.ok && performance.now() - started < slowAfterMs ? "ok" : "failed";
    } catch {
        return "failed";
    }
}

async function run() {
    const button = document.getElementById("run-check");
    button.disabled = true;
    for (const name of ["camera", "microphone", "connection"]) {
        document.getElementById(`${name}-status`).textContent = root.dataset.running;
    }
    show("camera", await device({ video: true }));
    show("microphone", await device({ audio: true }));
    show("connection", await connection());
    button.disabled = false;
}

if (root) {
    document.getElementById("run-check").addEventListener("click", run);
}
