import { InvalidInputError } from "../../errors.js";
import { z } from "../../schema.js";

export interface TemplateField {
  description: string;
  /** Used when the request leaves the field out; a field without a default is required. */
  default?: string;
}

export interface PromptTemplate {
  id: string;
  description: string;
  fields: Readonly<Record<string, TemplateField>>;
  /** The prompt, with `{{field}}` placeholders. */
  prompt: string;
  /** Stop sequences added to the request's own. */
  stop: readonly string[];
}

/**
 * Entertainment presets, as data: `POST /v1/generate { template, fields }` renders one into the prompt,
 * `GET /v1/generate/templates` lists them. Written for instruction-following models a studio brings;
 * the default stories260k model only continues children's stories, whatever the template says.
 */
export const templates: readonly PromptTemplate[] = Object.freeze([
  {
    id: "logline",
    description: "A one-sentence logline for a film or series.",
    fields: {
      genre: { description: "e.g. heist thriller", default: "adventure" },
      characters: { description: "the protagonist(s), e.g. a retired safecracker" },
      setting: { description: "where and when", default: "a small town" },
      tone: { description: "e.g. wry, dark, hopeful", default: "hopeful" },
    },
    prompt:
      "Write a one-sentence logline for a {{tone}} {{genre}} story set in {{setting}}, about {{characters}}.\nLogline:",
    stop: ["\n"],
  },
  {
    id: "plot-outline",
    description: "Plot beats in three acts.",
    fields: {
      genre: { description: "e.g. family comedy", default: "drama" },
      characters: { description: "main characters, e.g. Mia, a young inventor, and her grandfather" },
      setting: { description: "where and when", default: "a seaside village" },
      tone: { description: "e.g. warm, tense", default: "warm" },
    },
    prompt:
      "Outline the plot of a {{tone}} {{genre}} set in {{setting}}, starring {{characters}}, in three acts.\nAct one:",
    stop: [],
  },
  {
    id: "quest",
    description: "A game quest: hook, objective and reward.",
    fields: {
      setting: { description: "the game world or region, e.g. the sunken city of Varn" },
      characters: { description: "quest giver and others, e.g. an old ferryman", default: "a villager" },
      tone: { description: "e.g. eerie, playful", default: "adventurous" },
      genre: { description: "e.g. fantasy RPG", default: "fantasy" },
    },
    prompt:
      "Write a {{tone}} {{genre}} side quest in {{setting}}. The quest giver is {{characters}}.\nQuest title:",
    stop: [],
  },
  {
    id: "character-bark",
    description: "A short line a game character says in passing.",
    fields: {
      characters: { description: "who speaks, e.g. a grumpy blacksmith" },
      setting: {
        description: "the situation, e.g. when the player walks by at night",
        default: "in the town square",
      },
      tone: { description: "e.g. sarcastic, friendly", default: "friendly" },
      genre: { description: "e.g. fantasy", default: "fantasy" },
    },
    prompt: 'In a {{genre}} game, {{characters}} says something {{tone}} {{setting}}: "',
    stop: ['"', "\n"],
  },
]);

/** The template's prompt with the fields filled in (defaults for those left out). */
export function renderTemplate(
  id: string,
  fields: Readonly<Record<string, string>>,
): PromptTemplate & { rendered: string } {
  const template = templates.find((candidate) => candidate.id === id);
  if (!template) {
    throw new InvalidInputError(
      `template: unknown template "${id.slice(0, 40)}". Valid templates: ${templates.map((t) => t.id).join(", ")}`,
    );
  }
  const unknown = Object.keys(fields).filter((name) => !Object.hasOwn(template.fields, name));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      `fields: unknown field(s) ${unknown.map((name) => JSON.stringify(name.slice(0, 40))).join(", ")} for template "${id}". Valid fields: ${Object.keys(template.fields).join(", ")}`,
    );
  }
  const values: Record<string, string> = {};
  for (const [name, field] of Object.entries(template.fields)) {
    const value = Object.hasOwn(fields, name) ? fields[name] : field.default;
    if (value === undefined)
      throw new InvalidInputError(`fields.${name}: required by template "${id}" (${field.description})`);
    values[name] = value;
  }
  const rendered = template.prompt.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? "");
  return { ...template, rendered };
}

export const templateList = z
  .object({
    templates: z.array(
      z.object({
        id: z.string(),
        description: z.string(),
        fields: z.record(
          z.string(),
          z.object({ description: z.string(), required: z.boolean(), default: z.string().optional() }),
        ),
        prompt: z.string().describe("With {{field}} placeholders"),
        stop: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: "GenerateTemplates" });

/** The templates as `GET /v1/generate/templates` lists them. */
export function listTemplates(): z.output<typeof templateList> {
  return {
    templates: templates.map((template) => ({
      id: template.id,
      description: template.description,
      fields: Object.fromEntries(
        Object.entries(template.fields).map(([name, field]) => [
          name,
          {
            description: field.description,
            required: field.default === undefined,
            ...(field.default !== undefined && { default: field.default }),
          },
        ]),
      ),
      prompt: template.prompt,
      stop: [...template.stop],
    })),
  };
}
