package org.spectralposterior.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lists inline or from a file: the same values either way. */
class NumberListsTest {

	@Test
	void aFileGivesTheSameListAsInlineText(@TempDir final Path dir) throws Exception {
		final Path csv = Files.writeString(dir.resolve("w.csv"), "weight\n1.5\n2 # a comment\n\n3e-1\n");
		assertEquals("1.5,2,3e-1", NumberLists.resolve("weight_list", csv.toString()));
		final Path oneLine = Files.writeString(dir.resolve("a.txt"), "0.9, 0.5;0.1\n");
		assertEquals("0.9,0.5,0.1", NumberLists.resolve("schedule_table", oneLine.toString()));
		// NaN is a value (refused later with its position), not a header.
		assertEquals("NaN,1", NumberLists.resolve("weight_list", Files.writeString(dir.resolve("n.txt"), "NaN\n1\n").toString()));
		assertEquals("0.9,0.8", NumberLists.resolve("schedule_table", "0.9,0.8"));
		assertEquals("nosuch.csv", NumberLists.resolve("weight_list", "nosuch.csv"), "not a file: left to the list parser, which names it");
		final Path empty = Files.writeString(dir.resolve("e.txt"), "weight\n# nothing\n");
		assertTrue(assertThrows(IllegalArgumentException.class, () -> NumberLists.resolve("weight_list", empty.toString())).getMessage().contains("holds no values"));
	}
}
