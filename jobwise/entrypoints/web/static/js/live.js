// A generation's live updates over the WebSocket. The last seq seen is kept across
// reconnects and sent as `after`, so the server replays exactly what was missed:
// nothing lost, nothing twice.

import { accessToken, refresh } from "./api.js";

const RETRY_MS = [250, 500, 1000, 2000, 4000];

export class GenerationWatch {
  // onUpdate(message) for each generation.* message; onState(text) for the socket's state.
  constructor(generationId, { after = 0, onUpdate, onState }) {
    this.generationId = generationId;
    this.lastSeq = after;
    this.onUpdate = onUpdate;
    this.onState = onState || (() => {});
    this.socket = null;
    this.stopped = false;
    this.attempt = 0;
    this.connects = 0;
    this.connect();
  }

  async connect() {
    if (this.stopped) return;
    let token;
    try {
      token = await accessToken();
    } catch {
      this.onState("signed out");
      return;
    }
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/ws?token=${encodeURIComponent(token)}`);
    this.socket = socket;
    this.onState(this.connects ? "reconnecting" : "connecting");
    socket.addEventListener("open", () => {
      this.connects += 1;
      this.attempt = 0;
      socket.send(JSON.stringify({ type: "subscribe", generation_id: this.generationId, after: this.lastSeq }));
      this.onState(this.connects > 1 ? "reconnected" : "live");
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.type && message.type.startsWith("generation.")) {
        if (message.generation_id !== this.generationId || message.seq <= this.lastSeq) return;
        this.lastSeq = message.seq;
        this.onUpdate(message);
        if (message.type !== "generation.progress") this.stop();
      } else if (message.type === "error") {
        this.onState(`error: ${message.error && message.error.message}`);
      }
    });
    socket.addEventListener("close", async (event) => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = null;
      if (event.code === 4401) {
        // The token lapsed or was revoked: a refresh tells which.
        try {
          await refresh();
        } catch {
          this.onState("signed out");
          return;
        }
      }
      const wait = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)];
      this.attempt += 1;
      this.onState("reconnecting");
      setTimeout(() => this.connect(), wait);
    });
  }

  // What a network drop does: the socket goes, the watch reconnects and resumes.
  drop() {
    if (this.socket) this.socket.close(4000, "dropped by the client");
  }

  stop() {
    this.stopped = true;
    if (this.socket) this.socket.close(1000, "done");
    this.socket = null;
  }
}
