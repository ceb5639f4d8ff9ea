package vn.hocbaso.dss;

import eu.europa.esig.dss.model.FileDocument;
import eu.europa.esig.dss.model.policy.ValidationPolicy;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import eu.europa.esig.dss.validation.policy.ValidationPolicyLoader;
import eu.europa.esig.dss.validation.reports.Reports;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code dss-validate --trust <root.pem> [--trust <other.pem>] [--policy <policy.xml>] <file>...}
 *
 * <p>Validates every signature of each file with EU DSS, offline (no AIA, CRL or OCSP fetching: the certificate
 * verifier has no data loader at all), trusting only the given anchors, and prints one JSON object per file on
 * stdout, in the order given. The JVM and DSS start once for all files, which is most of the cost.
 *
 * <p>Exit codes: 0 when it ran (whatever the signatures' indications; a file DSS cannot read as a signed document
 * is reported with "error"), 2 when a file or anchor cannot be read, 64 on a usage error.
 */
public final class Main {
  private static final int USAGE = 64;
  private static final int IO = 2;

  private Main() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("dss-validate: " + e.getMessage());
      System.err.println("usage: dss-validate --trust <root.pem> [--trust <pem>]... [--policy <policy.xml>] <file>...");
      System.exit(USAGE);
      return;
    }
    CommonCertificateVerifier verifier;
    ValidationPolicy policy;
    try {
      verifier = offlineVerifier(options.trust);
      policy = options.policy == null
          ? ValidationPolicyLoader.fromDefaultValidationPolicy().create()
          : ValidationPolicyLoader.fromValidationPolicy(new File(options.policy)).create();
    } catch (IOException | CertificateException | RuntimeException e) {
      System.err.println("dss-validate: " + e.getMessage());
      System.exit(IO);
      return;
    }
    int status = 0;
    for (String file : options.files) {
      if (!new File(file).canRead()) {
        out.println(FileReport.error(file, "cannot read " + file));
        status = IO;
        continue;
      }
      out.println(validate(file, verifier, policy));
    }
    System.exit(status);
  }

  /** A certificate verifier that fetches nothing: no CRL, OCSP or AIA source; only the given trust anchors. */
  static CommonCertificateVerifier offlineVerifier(List<String> pemFiles) throws IOException, CertificateException {
    CommonTrustedCertificateSource trusted = new CommonTrustedCertificateSource();
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    for (String pem : pemFiles) {
      try (InputStream in = new FileInputStream(pem)) {
        var certificates = factory.generateCertificates(in);
        if (certificates.isEmpty()) throw new CertificateException("no certificate in " + pem);
        for (var c : certificates) trusted.addCertificate(new CertificateToken((X509Certificate) c));
      }
    }
    CommonCertificateVerifier verifier = new CommonCertificateVerifier();
    verifier.setTrustedCertSources(trusted);
    verifier.setAIASource(null);
    verifier.setCrlSource(null);
    verifier.setOcspSource(null);
    verifier.setCheckRevocationForUntrustedChains(false);
    return verifier;
  }

  static String validate(String file, CommonCertificateVerifier verifier, ValidationPolicy policy) {
    try {
      SignedDocumentValidator validator = SignedDocumentValidator.fromDocument(new FileDocument(file));
      validator.setCertificateVerifier(verifier);
      validator.setEnableEtsiValidationReport(false);
      Reports reports = validator.validateDocument(policy);
      return FileReport.of(file, reports);
    } catch (RuntimeException e) {
      // Not a document DSS knows (no signature format recognised) or one it cannot parse.
      return FileReport.error(file, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static final class Options {
    final List<String> trust = new ArrayList<>();
    String policy;
    final List<String> files = new ArrayList<>();

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--trust" -> o.trust.add(value(args, ++i, "--trust"));
          case "--policy" -> o.policy = value(args, ++i, "--policy");
          default -> {
            if (args[i].startsWith("--")) throw new IllegalArgumentException("unknown option " + args[i]);
            o.files.add(args[i]);
          }
        }
      }
      if (o.trust.isEmpty()) throw new IllegalArgumentException("--trust <root.pem> is required");
      if (o.files.isEmpty()) throw new IllegalArgumentException("no file to validate");
      return o;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
      return args[i];
    }
  }
}
