package org.spectralposterior.probe;
import org.junit.jupiter.api.Test;
import org.ejml.data.DMatrixRMaj;
class EigTimeProbe {
	@Test
	void time() {
		final int d = 1728;
		final java.util.SplittableRandom r = new java.util.SplittableRandom(1);
		final DMatrixRMaj g = new DMatrixRMaj(d, d);
		for (int i = 0; i < d * d; i++) g.data[i] = r.nextGaussian();
		final DMatrixRMaj a = new DMatrixRMaj(d, d);
		org.ejml.dense.row.CommonOps_DDRM.multTransB(g, g, a);
		long t0 = System.nanoTime();
		final var eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(d, true, true);
		eig.decompose(a.copy());
		long t1 = System.nanoTime();
		final DMatrixRMaj f = new DMatrixRMaj(d, d);
		for (int e = 0; e < d; e++) { final double root = Math.sqrt(Math.max(0, eig.getEigenvalue(e).real)); final DMatrixRMaj v = eig.getEigenVector(e); for (int i = 0; i < d; i++) f.data[i * d + e] = root * v.data[i]; }
		long t2 = System.nanoTime();
		double b = org.spectralposterior.core.metric.DenseGaussian.bures(a.data.clone(), f, null);
		long t3 = System.nanoTime();
		System.out.println("PROBE eig+vectors " + (t1 - t0) / 1e9 + " s, factor " + (t2 - t1) / 1e9 + " s, bures " + (t3 - t2) / 1e9 + " s (" + b + ")");
	}
}
