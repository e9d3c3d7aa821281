// The patient's technical check: camera and microphone through getUserMedia (the browser asks for permission), the
// connection by timing one round trip to the site. Each result is shown in words and kept in the help form's hidden
// fields (ok, failed or skipped), so "ask for technical help" tells the help desk what was found. The click is
// listened for on the document: a module runs once, and Blazor's enhanced navigation (the language switch) may replace
// the page's elements after it ran.
const slowAfterMs = 3000;

function show(root, name, state) {
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

async function connection(root) {
    const started = performance.now();
    try {
        const response = await fetch(root.dataset.pingUrl, { cache: "no-store", credentials: "same-origin" });
        return response.ok && performance.now() - started < slowAfterMs ? "ok" : "failed";
    } catch {
        return "failed";
    }
}

async function run(button) {
    const root = document.getElementById("technical-check");
    button.disabled = true;
    for (const name of ["camera", "microphone", "connection"]) {
        document.getElementById(`${name}-status`).textContent = root.dataset.running;
    }
    show(root, "camera", await device({ video: true }));
    show(root, "microphone", await device({ audio: true }));
    show(root, "connection", await connection(root));
    button.disabled = false;
}

document.addEventListener("click", event => {
    const button = event.target instanceof Element ? event.target.closest("#run-check") : null;
    if (button && !button.disabled) run(button);
});
