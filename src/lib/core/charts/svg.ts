// The pieces every chart is drawn from, as SVG text: escaping, the accessible frame (role="img", a title
// and a description), a legend of swatches with their names in words, y-axis gridlines and ticks, and
// whiskers. Colours are CSS custom properties (`--chart-s0`…, `--chart-oracle`…) with light fallbacks set
// in inline styles, so the app and the self-contained report theme the same markup by defining variables.

/** Series colours in the palette: tone n is drawn with `--chart-s{n % SERIES_COLOURS}`. */
export const SERIES_COLOURS = 6;

/** A series' colour: a palette index (one per model in the evaluation) or a named role of a document. */
export type Tone = number | 'oracle' | 'hard' | 'random' | 'accent';

/** The colours the markup asks for, with the light theme's values as fallbacks (a page that sets nothing still reads). */
const FALLBACK = {
  s0: '#2f5fd0',
  s1: '#1d7a46',
  s2: '#b0451f',
  s3: '#7a4fc0',
  s4: '#8a6d00',
  s5: '#0f7c8a',
  oracle: '#1d7a46',
  hard: '#b0451f',
  random: '#596171',
  accent: '#2f5fd0',
  fg: '#1b1f27',
  muted: '#596171',
  grid: '#d8dce3',
  marker: '#b42318',
} as const;

type Ink = keyof typeof FALLBACK;

/** `var(--chart-name, fallback)`, for an inline style. */
export function ink(name: Ink): string {
  return `var(--chart-${name},${FALLBACK[name]})`;
}

/** The colour of a tone. */
export function toneInk(tone: Tone): string {
  return ink(typeof tone === 'number' ? (`s${((tone % SERIES_COLOURS) + SERIES_COLOURS) % SERIES_COLOURS}` as Ink) : tone);
}

/** Text safe inside an element or a quoted attribute: labels come from model names and user files. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** One decimal is enough for a coordinate and keeps the markup short. */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Approximate width of one character of 11px text, for wrapping the legend. */
const CHAR_W = 6.6;

export interface TextOptions {
  anchor?: 'start' | 'middle' | 'end';
  size?: number;
  colour?: string;
  weight?: number;
}

/** A text element; `content` is escaped here (pass tspans through `raw`). */
export function text(x: number, y: number, content: string, options: TextOptions = {}, raw = false): string {
  const { anchor = 'start', size = 11, colour = ink('muted'), weight } = options;
  const style = `fill:${colour};font-size:${size}px;font-variant-numeric:tabular-nums${weight ? `;font-weight:${weight}` : ''}`;
  return `<text class="chart-text" x="${round(x)}" y="${round(y)}" text-anchor="${anchor}" style="${style}">${raw ? content : escapeXml(content)}</text>`;
}

/** The root element: an image named by its title and described in words for screen readers. */
export function frame(id: string, title: string, description: string, width: number, height: number, body: string): string {
  const i = escapeXml(id);
  return `<svg class="chart" id="${i}" viewBox="0 0 ${width} ${round(height)}" role="img" aria-labelledby="${i}-t" aria-describedby="${i}-d" xmlns="http://www.w3.org/2000/svg" style="width:100%;height:auto;display:block;overflow:visible"><title id="${i}-t">${escapeXml(title)}</title><desc id="${i}-d">${escapeXml(description)}</desc>${body}</svg>`;
}

export interface Legend {
  svg: string;
  height: number;
}

/** A swatch and the series' name per series (colour is never the only cue), wrapped into rows that fit the width. */
export function legend(series: { name: string; tone: Tone }[], top: number, left: number, width: number): Legend {
  let x = left;
  let row = 0;
  const items = series.map((s) => {
    const w = 18 + s.name.length * CHAR_W + 16;
    if (x + w > width - 8 && x > left) {
      x = left;
      row++;
    }
    const y = top + row * 18;
    const item = `<g class="chart-legend-item"><rect x="${round(x)}" y="${y}" width="12" height="12" rx="2" style="fill:${toneInk(s.tone)}"/>${text(x + 17, y + 10, s.name)}</g>`;
    x += w;
    return item;
  });
  return { svg: items.join(''), height: series.length ? (row + 1) * 18 + 6 : 0 };
}

/** The y axis: its top value and the values that get a gridline and a label. */
export interface Scale {
  max: number;
  ticks: number[];
}

/** A round step near `raw`: 1, 2 or 5 times a power of ten. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

/** About four round steps from 0 to at least `top`; `integer` keeps steps whole (counts). */
export function niceScale(top: number, integer = false): Scale {
  const raw = Math.max(1e-9, top) / 4;
  const step = integer ? Math.max(1, niceStep(raw)) : niceStep(raw);
  const max = Math.max(step, Math.ceil(Math.max(1e-9, top) / step) * step);
  const ticks: number[] = [];
  for (let i = 0; i * step <= max + step / 2; i++) ticks.push(Math.round(i * step * 1e9) / 1e9);
  return { max, ticks };
}

/** Maps a value to its y coordinate in a plot area `top`..`top + height`, clipped at the scale's max. */
export function yMapper(scale: Scale, top: number, height: number): (v: number) => number {
  return (v) => round(top + height - (Math.min(Math.max(v, 0), scale.max) / scale.max) * height);
}

/** Dashed gridlines with their labels at the left. */
export function yAxis(scale: Scale, y: (v: number) => number, left: number, right: number, label: (v: number) => string): string {
  return scale.ticks
    .map((t) => `<line class="chart-grid" x1="${left}" x2="${right}" y1="${y(t)}" y2="${y(t)}" style="stroke:${ink('grid')};stroke-dasharray:2 3"/>${text(left - 6, y(t) + 4, label(t), { anchor: 'end' })}`)
    .join('');
}

/** The base line of the plot. */
export function baseline(left: number, right: number, y: number): string {
  return `<line class="chart-axis" x1="${left}" x2="${right}" y1="${round(y)}" y2="${round(y)}" style="stroke:${ink('muted')}"/>`;
}

/** An interval as a vertical line with caps; nothing when either end is unknown. */
export function whisker(x: number, low: number | null | undefined, high: number | null | undefined, y: (v: number) => number): string {
  if (low == null || high == null) return '';
  const [x0, y1, y2] = [round(x), y(low), y(high)];
  return `<path class="chart-whisker" d="M${x0} ${y1}V${y2}M${round(x0 - 4)} ${y1}h8M${round(x0 - 4)} ${y2}h8" style="stroke:${ink('fg')};stroke-width:1.2;fill:none"/>`;
}
