package org.spectralposterior.imagej;

import java.io.File;
import java.io.IOException;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run's output files, written as a set: every file goes first to a temporary name private to
 * this set (a random token), is flushed and forced to the disk, and only when all of them are
 * complete are they renamed, one atomic rename each, over their final names. See
 * {@link TaskResult#save(File, Map)} for the guarantees this gives.
 */
final class OutputSet {

	/** Opens a new file for writing; the seam through which tests inject write failures. */
	interface Sink {
		OutputStream open(Path file) throws IOException;
	}

	/** Writes one file's content. */
	interface Content {
		void writeTo(OutputStream out) throws IOException;
	}

	/** Real files: created new (never an existing one), forced to the disk on close. */
	static final Sink FILES = file -> new BufferedOutputStream(new ForcedFile(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)), 1 << 16);

	static final String TEMP_PREFIX = ".partial-";

	// Runs of this JVM rename their sets one at a time per folder, so that a folder written by two of
	// them at once ends with one whole set rather than files of both.
	private static final Map<Path, Object> FOLDER_LOCKS = new ConcurrentHashMap<>();

	private final Path folder;
	private final String token = UUID.randomUUID().toString();
	private final List<Path> targets = new ArrayList<>();
	private final List<Content> contents = new ArrayList<>();

	OutputSet(final File folder) {
		this.folder = folder.toPath();
	}

	void add(final String fileName, final Content content) {
		targets.add(folder.resolve(fileName));
		contents.add(content);
	}

	/** @throws IllegalArgumentException if an output would replace one of the inputs (by parameter name) */
	void refuseReplacing(final Map<String, File> inputs) {
		for (final Path target : targets) {
			for (final Map.Entry<String, File> in : inputs.entrySet()) {
				if (in.getValue() != null && sameFile(target, in.getValue().toPath())) {
					throw new IllegalArgumentException("The output " + target + " would replace " + in.getValue() + ", the input " + in.getKey()
						+ "= of this run; nothing was saved. Choose another output_folder, or move or rename that input file first.");
				}
			}
		}
	}

	/** Writes every file under its temporary name, then renames them all; returns the final files in order. */
	List<File> commit(final Sink sink) throws IOException {
		final List<Path> temps = new ArrayList<>();
		boolean complete = false;
		try {
			for (int i = 0; i < targets.size(); i++) {
				final Path temp = folder.resolve(TEMP_PREFIX + token + "-" + targets.get(i).getFileName());
				temps.add(temp);
				try (OutputStream out = sink.open(temp)) {
					contents.get(i).writeTo(out);
				}
				catch (final IOException e) {
					throw new IOException("Could not write " + targets.get(i) + ": " + reason(e) + ". Nothing was saved and no existing file was replaced; free some disk space or choose another output_folder.", e);
				}
			}
			forceFolder();
			complete = true;
		}
		finally {
			if (!complete) deleteQuietly(temps);
		}
		final List<File> written = new ArrayList<>();
		synchronized (FOLDER_LOCKS.computeIfAbsent(lockKey(), k -> new Object())) {
			for (int i = 0; i < targets.size(); i++) {
				try {
					move(temps.get(i), targets.get(i));
				}
				catch (final IOException e) {
					deleteQuietly(temps.subList(i, temps.size()));
					throw new IOException("Could not rename " + temps.get(i).getFileName() + " to " + targets.get(i) + ": " + reason(e) + ". "
						+ (written.isEmpty() ? "No existing file was replaced" : "Already replaced by this run: " + written) + "; not saved: " + targets.subList(i, targets.size())
						+ ". Check the output_folder and run again.", e);
				}
				written.add(targets.get(i).toFile());
			}
		}
		forceFolder();
		return written;
	}

	private static void move(final Path from, final Path to) throws IOException {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (final AtomicMoveNotSupportedException e) {
			// Same folder, so this is rare (some network file systems); still one rename per file.
			Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/** Makes the new directory entries durable too, where the OS allows opening a directory (not Windows). */
	private void forceFolder() {
		try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
			dir.force(true);
		}
		catch (final IOException | RuntimeException e) {
			// Best effort: the files' own contents were forced already.
		}
	}

	private Path lockKey() {
		try {
			return folder.toRealPath();
		}
		catch (final IOException e) {
			return folder.toAbsolutePath().normalize();
		}
	}

	private static boolean sameFile(final Path a, final Path b) {
		// Only a file that exists can be destroyed; isSameFile also sees through links and case-insensitive names.
		if (!Files.exists(a) || !Files.exists(b)) return false;
		try {
			return Files.isSameFile(a, b);
		}
		catch (final IOException e) {
			return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
		}
	}

	/** What the OS said: encoders such as ImageIO's wrap it, so the causes' messages are added. */
	static String reason(final Throwable e) {
		final String own = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage() != null ? e.getMessage() : e.toString();
		final Throwable cause = e.getCause();
		if (cause == null || cause == e) return own;
		final String deeper = reason(cause);
		return own.contains(deeper) ? own : own + " (" + deeper + ")";
	}

	private static void deleteQuietly(final List<Path> files) {
		for (final Path f : files) {
			try {
				Files.deleteIfExists(f);
			}
			catch (final IOException e) {
				// Left only if the OS refuses the deletion; its .partial- name marks it as a leftover.
			}
		}
	}

	/** A file channel as a stream whose close forces the content to the disk first, reporting any failure. */
	private static final class ForcedFile extends OutputStream {

		private final FileChannel channel;

		ForcedFile(final FileChannel channel) {
			this.channel = channel;
		}

		@Override
		public void write(final int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(final byte[] b, final int off, final int len) throws IOException {
			final ByteBuffer buf = ByteBuffer.wrap(b, off, len);
			while (buf.hasRemaining()) channel.write(buf);
		}

		@Override
		public void close() throws IOException {
			if (!channel.isOpen()) return;
			try {
				channel.force(true);
			}
			finally {
				channel.close();
			}
		}
	}
}
