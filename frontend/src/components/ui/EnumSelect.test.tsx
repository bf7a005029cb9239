import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { EnumSelect } from "./EnumSelect";

const optionTexts = () => screen.getAllByRole("option").map((o) => [(o as HTMLOptionElement).value, o.textContent]);

describe("EnumSelect", () => {
  it("capitalizes options without a label and puts the empty choice first", () => {
    render(<EnumSelect value="" options={["magma", "box"] as const} labels={{ box: "Whole box" }} emptyLabel="Default" onChange={() => {}} />);
    expect(optionTexts()).toEqual([
      ["", "Default"],
      ["magma", "Magma"],
      ["box", "Whole box"],
    ]);
    expect(screen.getByRole("combobox")).toHaveValue("");
  });

  it("has no empty choice unless asked, and reports the picked option", async () => {
    const onChange = vi.fn();
    render(<EnumSelect value="magma" options={["magma", "viridis"] as const} onChange={onChange} />);
    expect(optionTexts().map(([value]) => value)).toEqual(["magma", "viridis"]);
    await userEvent.selectOptions(screen.getByRole("combobox"), "viridis");
    expect(onChange).toHaveBeenCalledWith("viridis");
  });
});
