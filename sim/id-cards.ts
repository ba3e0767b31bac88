/**
 * Synthetic ID cards for tests and simulated citizens: invented people with numbers consistent with the rules
 * (province code, century/sex digit, birth year), in both QR layouts, with their MRZ.
 * No real person's data: names are drawn from common name parts, numbers at random.
 */
import { Random } from '../src/util/random.js';
import { checkDigit } from '../src/civic/id-card/mrz.js';
import { PROVINCES } from '../src/civic/id-card/provinces.js';

export interface SyntheticCard {
  readonly id: string;
  readonly oldId: string;
  readonly name: string;
  readonly dob: { readonly y: number; readonly m: number; readonly d: number };
  readonly male: boolean;
  readonly address: string;
  readonly issued: { readonly y: number; readonly m: number; readonly d: number };
  readonly layout: 'cccd2021' | 'cancuoc2024';
}

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Hoàng', 'Phan', 'Võ', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE_M = ['Văn', 'Minh', 'Hữu', 'Đức', 'Quốc', 'Thanh'];
const MIDDLE_F = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim', 'Mỹ'];
const GIVEN_M = ['An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Khoa', 'Long', 'Nam', 'Phúc', 'Quân', 'Tuấn', 'Thắng'];
const GIVEN_F = ['Hoa', 'Lan', 'Mai', 'Hạnh', 'Thảo', 'Vy', 'Yến', 'Trang', 'Ngân', 'Uyên', 'Hương', 'Ánh'];
const STREETS = ['Lê Lợi', 'Nguyễn Huệ', 'Hai Bà Trưng', 'Điện Biên Phủ', 'Cách Mạng Tháng Tám', 'Võ Văn Tần', 'Lý Tự Trọng'];
const WARDS = ['Phường Bến Nghé', 'Phường Bến Thành', 'Phường Võ Thị Sáu', 'Phường 12', 'Phường Tân Định', 'Phường Đa Kao'];
const DISTRICTS = ['Quận 1', 'Quận 3', 'Quận 10', 'Quận Bình Thạnh', 'Quận Phú Nhuận'];

const pad = (n: number, w: number) => String(n).padStart(w, '0');
export const ddmmyyyy = (x: { y: number; m: number; d: number }) => `${pad(x.d, 2)}${pad(x.m, 2)}${pad(x.y, 4)}`;
export const iso = (x: { y: number; m: number; d: number }) => `${pad(x.y, 4)}-${pad(x.m, 2)}-${pad(x.d, 2)}`;

/** One invented citizen's card; `layout` alternates the two QR layouts when not given. */
export function syntheticCard(random: Random, layout: SyntheticCard['layout'] = random.chance(0.5) ? 'cccd2021' : 'cancuoc2024'): SyntheticCard {
  const codes = Object.keys(PROVINCES);
  const male = random.chance(0.5);
  const y = 1940 + random.int(76);
  const dob = { y, m: 1 + random.int(12), d: 1 + random.int(28) };
  const g = (y >= 2000 ? 2 : 0) + (male ? 0 : 1);
  const id = `${random.pick(codes)}${g}${pad(y % 100, 2)}${pad(random.int(1_000_000), 6)}`;
  // A 2024 card is issued after 1 July 2024, a 2021 one between 2021 and mid-2024.
  const issuedYear = layout === 'cccd2021' ? 2021 + random.int(3) : 2025 + random.int(1);
  const issued = { y: issuedYear, m: 1 + random.int(12), d: 1 + random.int(28) };
  return {
    id,
    oldId: y < 1995 && random.chance(0.6) ? pad(random.int(1_000_000_000), 9) : '',
    name: `${random.pick(SURNAMES)} ${random.pick(male ? MIDDLE_M : MIDDLE_F)} ${random.pick(male ? GIVEN_M : GIVEN_F)}`,
    dob,
    male,
    address: `${1 + random.int(300)} ${random.pick(STREETS)}, ${random.pick(WARDS)}, ${random.pick(DISTRICTS)}, TP Hồ Chí Minh`,
    issued,
    layout,
  };
}

export function syntheticCards(count: number, seed: number): SyntheticCard[] {
  const random = new Random(seed);
  return Array.from({ length: count }, (_, i) => syntheticCard(random, i % 2 === 0 ? 'cccd2021' : 'cancuoc2024'));
}

export function qrText(card: SyntheticCard): string {
  const fields = [card.id, card.oldId, card.name, ddmmyyyy(card.dob), card.male ? 'Nam' : 'Nữ', card.address, ddmmyyyy(card.issued)];
  return (card.layout === 'cancuoc2024' ? [...fields, '', '', '', ''] : fields).join('|');
}

/** ICAO TD1 with the Vietnamese conventions: doc number = last 9 digits, the 12-digit ID in line 1. */
export function mrzText(card: SyntheticCard): string {
  const doc = card.id.slice(3);
  const l1 = `IDVNM${doc}${checkDigit(doc)}${card.id}<<${checkDigit(card.id)}`;
  const dob = `${pad(card.dob.y % 100, 2)}${pad(card.dob.m, 2)}${pad(card.dob.d, 2)}`;
  const expiry = card.dob.y < 1966 ? '991231' : `${pad((card.dob.y + 60) % 100, 2)}${pad(card.dob.m, 2)}${pad(card.dob.d, 2)}`;
  const l2head = `${dob}${checkDigit(dob)}${card.male ? 'M' : 'F'}${expiry}${checkDigit(expiry)}VNM${'<'.repeat(11)}`;
  const composite = l1.slice(5, 30) + l2head.slice(0, 7) + l2head.slice(8, 15) + l2head.slice(18, 29);
  const l2 = `${l2head}${checkDigit(composite)}`;
  const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toUpperCase();
  const [surname, ...given] = card.name.split(' ');
  const l3 = `${ascii(surname!)}<<${given.map(ascii).join('<')}${'<'.repeat(30)}`.slice(0, 30);
  return [l1, l2, l3].join('\n');
}
