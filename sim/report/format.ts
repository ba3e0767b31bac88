/** Text for the report: escaping and the short number and time formats its tables and charts use. */

/** For text content and double-quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&#39;';
    }
  });
}

/**
 * Short readable number: integers as is, others to 4 significant digits (one decimal from 1000 on),
 * so every summary figure, already rounded to 0.1 s, prints exactly as `--json` has it.
 */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v)) return String(v);
  if (Math.abs(v) >= 1000) return v.toFixed(1);
  return String(Number(v.toPrecision(4)));
}

/** Tick label for simulated time: "0", "45s", "15m", "1h30m". */
export function formatSimTime(tS: number): string {
  const sign = tS < 0 ? '−' : '';
  const t = Math.round(Math.abs(tS));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  let out = '';
  if (h > 0) out += `${h}h`;
  if (m > 0 || (h > 0 && s > 0)) out += `${m}m`;
  if (s > 0) out += `${s}s`;
  return out === '' ? '0' : sign + out;
}

/** Event timestamps: "h:mm:ss.s". */
export function formatClock(tS: number): string {
  if (!Number.isFinite(tS)) return '—';
  const sign = tS < 0 ? '−' : '';
  const tenths = Math.round(Math.abs(tS) * 10);
  const h = Math.floor(tenths / 36000);
  const m = Math.floor((tenths % 36000) / 600);
  const s = (tenths % 600) / 10;
  return `${sign}${h}:${String(m).padStart(2, '0')}:${s.toFixed(1).padStart(4, '0')}`;
}

export function noData(what: string): string {
  return `<p class="nodata">No data: ${escapeHtml(what)}.</p>`;
}
