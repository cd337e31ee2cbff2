// @ts-check
/**
 * The supervisor's live figures, from what the app already holds and keeps current from events (no extra
 * requests): chats waiting with how long, chats in progress per agent and per department, agents by status
 * and load, visitors online. Pure: the dashboard page draws it every second.
 */

/** @typedef {import('./instance-state.js').InstanceState} InstanceState */

/**
 * @param {InstanceState} inst @param {number} now
 */
export function liveFigures(inst, now) {
  const open = [...inst.cases.values()].filter((c) => c.status.type === 'OPEN' && !c.is_offline_message);
  const waiting = inst.queue().map((c) => ({ id: c.id, visitor: c.requester.name, subject: c.subject,
    department: c.assigned_team?.title ?? '', waitedSeconds: Math.max(0, Math.round((now - Date.parse(c.created_at)) / 1000)) }));
  const agents = [...inst.agents.values()].sort((a, b) => a.full_name.localeCompare(b.full_name));
  const byAgent = agents.map((a) => ({ name: a.full_name, status: a.status,
    chats: open.filter((c) => c.assigned_agent?.id === a.id).length, max: a.max_chats }));
  /** @type {Map<string, {waiting: number, inProgress: number}>} */
  const byDepartment = new Map();
  const team = (/** @type {string} */ title) => {
    const row = byDepartment.get(title) ?? { waiting: 0, inProgress: 0 };
    byDepartment.set(title, row);
    return row;
  };
  for (const w of waiting) team(w.department || 'No department').waiting += 1;
  for (const c of open) team(c.assigned_team?.title ?? 'No department').inProgress += 1;
  /** @type {Record<string, number>} */
  const statuses = { ONLINE: 0, AWAY: 0, BUSY: 0, OFFLINE: 0 };
  for (const a of agents) statuses[a.status in statuses ? a.status : 'OFFLINE'] += 1;
  const online = [...inst.visitors.values()].filter((v) => v.online);
  return {
    waiting,
    longestWait: waiting.reduce((m, w) => Math.max(m, w.waitedSeconds), 0),
    byAgent,
    byDepartment: [...byDepartment.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, v]) => ({ name, ...v })),
    statuses,
    load: { chats: open.length, seats: agents.filter((a) => a.status === 'ONLINE').reduce((n, a) => n + a.max_chats, 0) },
    visitors: { online: online.length, chatting: online.filter((v) => v.chat_status === 'OPEN').length,
      waiting: online.filter((v) => v.chat_status === 'NEW').length },
  };
}
