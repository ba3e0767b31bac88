import type { ServerMessage } from '../../console/protocol.js';

type Telemetry = Extract<ServerMessage, { type: 'telemetry' }>;
export interface MapInfo {
  readonly width: number;
  readonly height: number;
  readonly resolutionM: number;
  readonly origin: { readonly xM: number; readonly yM: number };
}
export interface PlaceInfo {
  readonly id: string;
  readonly kind: string;
  readonly pose: { readonly xM: number; readonly yM: number };
}

/**
 * The lobby drawn from the controller's own map and places: the occupancy image, counters and
 * places, the robot with its heading and planned path, and tracked people. Redrawn per telemetry.
 */
export class LobbyMap {
  private readonly ctx: CanvasRenderingContext2D;
  private telemetry: Telemetry | null = null;
  private readonly image = new Image();

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly map: MapInfo,
    private readonly places: readonly PlaceInfo[],
  ) {
    const ctx = canvas.getContext('2d');
    if (ctx === null) throw new Error('map: no 2D canvas');
    this.ctx = ctx;
    canvas.width = map.width;
    canvas.height = map.height;
    this.image.addEventListener('load', () => this.draw());
    this.image.src = '/api/map.png';
  }

  private px(xM: number, yM: number): [number, number] {
    return [(xM - this.map.origin.xM) / this.map.resolutionM, this.map.height - (yM - this.map.origin.yM) / this.map.resolutionM];
  }

  update(telemetry: Telemetry): void {
    this.telemetry = telemetry;
    // The robot's pose in metres, for people who read numbers and for the browser tests.
    this.canvas.dataset['robotX'] = telemetry.pose.xM.toFixed(2);
    this.canvas.dataset['robotY'] = telemetry.pose.yM.toFixed(2);
    this.draw();
  }

  private draw(): void {
    const { ctx } = this;
    const scale = 1 / this.map.resolutionM; // pixels per metre
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.image.complete && this.image.naturalWidth > 0) ctx.drawImage(this.image, 0, 0);
    ctx.font = `${Math.round(scale * 0.45)}px system-ui, sans-serif`;
    for (const place of this.places) {
      const [x, y] = this.px(place.pose.xM, place.pose.yM);
      ctx.fillStyle = place.kind === 'counter' ? '#0b6bcb' : '#7a8596';
      ctx.fillRect(x - scale * 0.2, y - scale * 0.2, scale * 0.4, scale * 0.4);
      ctx.fillText(place.id, x + scale * 0.3, y + scale * 0.15);
    }
    const t = this.telemetry;
    if (t === null) return;
    if (t.path.length > 1) {
      ctx.strokeStyle = '#1c7c3a';
      ctx.lineWidth = scale * 0.08;
      ctx.setLineDash([scale * 0.25, scale * 0.15]);
      ctx.beginPath();
      t.path.forEach((p, i) => {
        const [x, y] = this.px(p.xM, p.yM);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = '#b35c00';
    for (const person of t.people) {
      const [x, y] = this.px(person.xM, person.yM);
      ctx.beginPath();
      ctx.arc(x, y, scale * 0.22, 0, Math.PI * 2);
      ctx.fill();
    }
    const [rx, ry] = this.px(t.pose.xM, t.pose.yM);
    ctx.fillStyle = '#c4161c';
    ctx.beginPath();
    ctx.arc(rx, ry, scale * 0.3, 0, Math.PI * 2);
    ctx.fill();
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = scale * 0.08;
    ctx.beginPath();
    ctx.moveTo(rx, ry);
    ctx.lineTo(rx + Math.cos(t.pose.yawRad) * scale * 0.45, ry - Math.sin(t.pose.yawRad) * scale * 0.45);
    ctx.stroke();
  }
}
