// How the app uses the generated types with supabase-js (type-checked by
// tests/schema/test_typescript_types.py; never run). Each `@ts-expect-error` is a call the
// types must refuse: if one compiles, the types have stopped saying anything.
import { createClient } from "@supabase/supabase-js";

import type { Database, Tables } from "../../types/database.types";
import type { RealtimeEnvelope, TypedDatabase } from "../../types/realtime-events";

// createClient<Database> types tables and RPCs; TypedDatabase adds the json results' shapes.
const supabase = createClient<TypedDatabase>("http://127.0.0.1:54321", "anon-key");
const untyped = createClient<Database>("http://127.0.0.1:54321", "anon-key");

export async function joinRoom(sessionId: string): Promise<number> {
  // An RPC returning a composite type: typed from the database alone.
  const { data: membership, error } = await untyped.rpc("join_session", { p_session_id: sessionId });
  if (error) throw new Error(`${error.code}: ${error.message}`);
  const role: Database["public"]["Enums"]["member_role"] | null = membership.role;

  // @ts-expect-error p_session_id is a uuid string
  await supabase.rpc("queue_top", { p_session_id: 42 });
  // @ts-expect-error no such RPC
  await supabase.rpc("queue_bottom", { p_session_id: sessionId });

  // A json-returning RPC: Database says only Json; TypedDatabase says what it is.
  const { data: raw } = await untyped.rpc("session_snapshot", { p_session_id: sessionId });
  // @ts-expect-error Json has no known fields
  raw?.seq;
  const { data: top } = await supabase.rpc("queue_top", { p_session_id: sessionId, p_limit: 50 });
  const firstTitle: string | null | undefined = top?.[0]?.title;

  const { data: snap } = await supabase.rpc("session_snapshot", { p_session_id: sessionId });
  if (snap === null) return 0;
  const title: string = snap.session.title;
  // @ts-expect-error the snapshot has no such field
  snap.sesion;
  const mode: "push" | "pull" | "cdn" = snap.delivery.mode;
  const slotMs: number | undefined = snap.delivery.cdn?.slot_ms;

  // Tables read directly, under row-level security.
  const { data: rows } = await supabase.from("chat_messages").select("id, body").eq("session_id", sessionId);
  const bodies: string[] = (rows ?? []).map((r) => r.body);
  const history: Tables<"chat_messages">[] = snap.chat;

  // Broadcasts: the envelope's `event` narrows `data`.
  supabase
    .channel(`session:${sessionId}`, { config: { private: true } })
    .on("broadcast", { event: "*" }, ({ payload }) => apply(payload as RealtimeEnvelope))
    .subscribe();

  const { data: page } = await supabase.rpc("session_poll", { p_session_id: sessionId, p_after_seq: snap.seq }, { get: true });
  page?.events.forEach(apply);

  console.log(role, firstTitle, title, mode, slotMs, bodies, history.length);
  return snap.seq;
}

function apply(envelope: RealtimeEnvelope): void {
  switch (envelope.event) {
    case "chat.message":
      console.log(envelope.data.body, envelope.data.priority);
      break;
    case "queue.votes":
      console.log(envelope.data.rank_key.join(","));
      // @ts-expect-error queue.votes carries no body
      console.log(envelope.data.body);
      break;
    case "tick":
      envelope.data.chat.forEach((m) => console.log(m.author_handle));
      break;
  }
}
