package dev.nanolab.tornadovm;

import java.util.ArrayList;
import java.util.List;
import uk.ac.manchester.tornado.api.TornadoBackend;
import uk.ac.manchester.tornado.api.TornadoRuntime;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

/** Finding TornadoVM devices by "backend:device" and describing them. */
final class Devices {
    private Devices() {}

    static TornadoDevice resolve(String spec) {
        String s = spec == null || spec.isBlank() ? "0:0" : spec.trim();
        String[] parts = s.split(":");
        int b, d;
        try {
            if (parts.length != 2) throw new NumberFormatException();
            b = Integer.parseInt(parts[0]);
            d = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tornadovm: device '" + spec + "' is not backend:device, e.g. 0:0");
        }
        TornadoRuntime rt = runtime();
        if (b < 0 || b >= rt.getNumBackends())
            throw new IllegalArgumentException("tornadovm: no backend " + b + "; devices: " + list());
        TornadoBackend be = rt.getBackend(b);
        if (d < 0 || d >= be.getNumDevices())
            throw new IllegalArgumentException("tornadovm: backend " + b + " (" + be.getName() + ") has no device " + d + "; devices: " + list());
        return be.getDevice(d);
    }

    static TornadoRuntime runtime() {
        try {
            return TornadoRuntimeProvider.getTornadoRuntime();
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("tornadovm: the TornadoVM runtime is not available (" + e
                    + "); run with TORNADOVM_HOME set and its argfile (see docs/tornadovm.md)", e);
        }
    }

    static String describe(TornadoDevice dev) {
        long mem = dev.getMaxGlobalMemory();
        return dev.getDeviceName() + " " + dev.getDeviceType() + " " + dev.toString().trim() + ", "
                + String.format("%.1f GiB", mem / (double) (1L << 30));
    }

    /** One line per device: "b:d backend-name description". */
    static List<String> list() {
        TornadoRuntime rt = runtime();
        List<String> out = new ArrayList<>();
        for (int b = 0; b < rt.getNumBackends(); b++) {
            TornadoBackend be = rt.getBackend(b);
            for (int d = 0; d < be.getNumDevices(); d++)
                out.add(b + ":" + d + " " + be.getName() + " " + describe(be.getDevice(d)));
        }
        return out;
    }
}
