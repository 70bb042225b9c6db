package org.spectralposterior; public final class Version { private Version() {} public static final String NAME = "Spectral Posterior"; }
