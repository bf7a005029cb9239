import { capitalize } from "../../lib/text";

interface Props<T extends string> {
  id?: string;
  /** "" selects the empty option (see `emptyLabel`). */
  value: T | "";
  options: readonly T[];
  onChange: (value: T | "") => void;
  /** Words for some options; the others read as the option capitalized ("magma" → "Magma"). */
  labels?: Partial<Record<T, string>>;
  /** A first option with the value "" (e.g. "Default", "As processed"); none when left out. */
  emptyLabel?: string;
  "aria-describedby"?: string;
}

/** A <select> over one enumerated option of the API (a colour map, an anchor, a scaling, a status…). */
export function EnumSelect<T extends string>({ id, value, options, onChange, labels, emptyLabel, "aria-describedby": describedBy }: Props<T>) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as T | "")} aria-describedby={describedBy}>
      {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
      {options.map((option) => (
        <option key={option} value={option}>
          {labels?.[option] ?? capitalize(option)}
        </option>
      ))}
    </select>
  );
}
