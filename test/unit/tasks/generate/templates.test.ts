import { describe, expect, it } from "vitest";
import {
  listTemplates,
  renderTemplate,
  templates,
} from "../../../../packages/core/src/tasks/generate/templates.js";

describe("prompt templates", () => {
  it("render fields and defaults into the prompt", () => {
    const logline = renderTemplate("logline", {
      characters: "a retired safecracker",
      genre: "heist thriller",
    });
    expect(logline.rendered).toBe(
      "Write a one-sentence logline for a hopeful heist thriller story set in a small town, about a retired safecracker.\nLogline:",
    );
    expect(logline.stop).toEqual(["\n"]);
    for (const template of templates) expect(template.prompt).toMatch(/\{\{\w+\}\}/);
  });

  it("name the missing field, an unknown field or an unknown template", () => {
    expect(() => renderTemplate("logline", {})).toThrow(/fields\.characters: required by template "logline"/);
    expect(() => renderTemplate("logline", { characters: "x", mood: "y" })).toThrow(
      /unknown field\(s\) "mood".*Valid fields: genre, characters, setting, tone/,
    );
    expect(() => renderTemplate("sonnet", {})).toThrow(
      /Valid templates: logline, plot-outline, quest, character-bark/,
    );
  });

  it("are listed with required flags and defaults", () => {
    const listed = listTemplates().templates.find((template) => template.id === "quest");
    expect(listed?.fields.setting).toEqual({ description: expect.any(String), required: true });
    expect(listed?.fields.tone).toEqual({
      description: expect.any(String),
      required: false,
      default: "adventurous",
    });
  });
});
