package org.munet.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed task name: a base task followed by derivations applied left to right, separated by
 * {@code '/'}, e.g. {@code mnist/labels:5-9/permuted:7}.
 *
 * <p>Parsing checks only the syntax; whether the base task exists is the registry's
 * ({@link Datasets}) business, and whether a derivation fits the parent (label range) is checked
 * when the task is built.
 *
 * @param full the name as given
 * @param base the base task, e.g. {@code mnist}
 * @param transforms the derivations, in application order
 */
public record TaskName(String full, String base, List<TaskTransform> transforms) {

    /** The derivation syntax, for error messages. */
    public static final String KNOWN_DERIVATIONS =
        "rot90, rot180, rot270, permuted:SEED, labels:A-B|labels:A,B,..., inverted";

    /** Makes the transform list unmodifiable. */
    public TaskName {
        transforms = List.copyOf(transforms);
    }

    /**
     * @param name a task name such as {@code fashion_mnist/rot90/inverted}
     * @return the parsed name
     * @throws DatasetException naming the malformed part and the accepted syntax
     */
    public static TaskName parse(String name) {
        if (name == null || name.isBlank()) {
            throw new DatasetException("empty task name; expected BASE[/DERIVATION...], e.g. mnist/rot90");
        }
        // -1 keeps trailing empty parts so that "mnist/" is reported rather than ignored.
        String[] parts = name.split("/", -1);
        if (parts[0].isEmpty()) {
            throw new DatasetException(name + ": missing base task before the first '/'");
        }
        List<TaskTransform> transforms = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            transforms.add(parseDerivation(name, parts[i]));
        }
        return new TaskName(name, parts[0], transforms);
    }

    private static TaskTransform parseDerivation(String name, String part) {
        if (part.isEmpty()) {
            throw new DatasetException(name + ": empty derivation (doubled or trailing '/'); known: "
                + KNOWN_DERIVATIONS);
        }
        try {
            switch (part) {
                case "rot90":
                    return new RotateTransform(90);
                case "rot180":
                    return new RotateTransform(180);
                case "rot270":
                    return new RotateTransform(270);
                case "inverted":
                    return new InvertTransform();
                default:
                    break;
            }
            if (part.startsWith("permuted:")) {
                return new PermuteTransform(parseSeed(name, part));
            }
            if (part.startsWith("labels:")) {
                return new LabelSubsetTransform(parseLabels(name, part), part);
            }
        } catch (DatasetException e) {
            if (e.getMessage().startsWith(name + ":")) {
                throw e;
            }
            throw new DatasetException(name + ": " + e.getMessage(), e);
        }
        throw new DatasetException(name + ": unknown derivation '" + part + "'; known: " + KNOWN_DERIVATIONS);
    }

    private static long parseSeed(String name, String part) {
        String s = part.substring("permuted:".length());
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new DatasetException(name + ": bad seed '" + s + "' in '" + part
                + "'; expected an integer, e.g. permuted:7");
        }
    }

    private static int[] parseLabels(String name, String part) {
        String s = part.substring("labels:".length());
        String usage = "; expected labels:A-B (e.g. labels:0-4) or labels:A,B,... (e.g. labels:1,3,5)";
        try {
            if (s.matches("\\d+-\\d+")) {
                int dash = s.indexOf('-');
                int from = Integer.parseInt(s.substring(0, dash));
                int to = Integer.parseInt(s.substring(dash + 1));
                if (from > to) {
                    throw new DatasetException(name + ": empty label range '" + part + "' (" + from + " > " + to
                        + ")" + usage);
                }
                int[] labels = new int[to - from + 1];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = from + i;
                }
                return labels;
            }
            if (s.matches("\\d+(,\\d+)*")) {
                String[] items = s.split(",");
                int[] labels = new int[items.length];
                for (int i = 0; i < items.length; i++) {
                    labels[i] = Integer.parseInt(items[i]);
                }
                return labels;
            }
        } catch (NumberFormatException e) {
            throw new DatasetException(name + ": label out of range in '" + part + "'" + usage);
        }
        throw new DatasetException(name + ": malformed '" + part + "'" + usage);
    }

    /** @return the full name */
    @Override
    public String toString() {
        return full;
    }
}
