package dev.rmpopt.tck;

import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpReadResult;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.WrmsrResult;

/** Short readable text for addresses, states and results in counterexamples. */
final class Describe {

    private Describe() {
    }

    static String page(long spa) {
        return spa < 0 ? String.valueOf(spa) : Geometry.hex(spa);
    }

    static String region(long spa) {
        return spa < 0 ? "" : " (region " + Geometry.regionIndex(spa) + ")";
    }

    static String size(PageSize size) {
        return size == null ? "null size" : size == PageSize.SIZE_2M ? "2M" : "4K";
    }

    static String mapping(MappingSize size) {
        return size == null ? "null" : size == MappingSize.SIZE_4K ? "4K" : size == MappingSize.SIZE_2M ? "2M" : "1G";
    }

    static String caller(Accessor caller) {
        return caller instanceof Accessor.Hypervisor ? "" : " (by " + accessor(caller) + ")";
    }

    static String accessor(Accessor a) {
        if (a == null) {
            return "null accessor";
        }
        if (a instanceof Accessor.Hypervisor) {
            return "hypervisor";
        }
        if (a instanceof Accessor.NonSnpGuest) {
            return "non-SNP guest " + ((Accessor.NonSnpGuest) a).vmId();
        }
        if (a instanceof Accessor.SnpGuestView) {
            Accessor.SnpGuestView v = (Accessor.SnpGuestView) a;
            return "SNP guest " + v.asid() + (v.encrypted() ? " private at GPA " : " shared at GPA ") + Geometry.hex(v.gpa());
        }
        return "SNP guest " + ((Accessor.SnpGuest) a).asid();
    }

    static String state(RmpState s) {
        if (s == null) {
            return "null state";
        }
        String what;
        if (!s.assigned()) {
            what = s.asid() == 0 && s.gpa() == 0 && !s.immutable() ? "shared" : "unassigned";
        } else if (s.asid() == 0) {
            what = "firmware";
        } else {
            what = "private(asid " + s.asid() + ")";
        }
        return what + " " + size(s.pageSize()) + (s.immutable() ? " immutable" : "")
                + (s.gpa() != 0 ? " gpa " + Geometry.hex(s.gpa()) : "")
                + (s.isWellFormed() ? "" : " [ill-formed: asid " + s.asid() + ", gpa " + s.gpa() + "]");
    }

    static String entry(RmpEntry e) {
        return e.state() + " " + size(e.pageSize()) + (e.asid() != 0 ? " asid " + e.asid() : "")
                + (e.gpa() != 0 ? " gpa " + Geometry.hex(e.gpa()) : "") + (e.validated() ? " V" : "") + (e.vmsa() ? " VMSA" : "");
    }

    /** A raw step result as text. */
    static String result(Object result) {
        if (result instanceof RmpReadResult.Read) {
            return entry(((RmpReadResult.Read) result).entry());
        }
        if (result instanceof RmpReadResult.Failed) {
            return ((RmpReadResult.Failed) result).code().toString();
        }
        if (result instanceof RmpoptResult.Completed) {
            return ((RmpoptResult.Completed) result).cf() ? "CF=1" : "CF=0";
        }
        if (result instanceof RmpoptResult.InvalidOpcode) {
            return "#UD";
        }
        if (result instanceof WrmsrResult.GeneralProtection) {
            return "#GP";
        }
        if (result instanceof WrmsrResult.Written) {
            return "written";
        }
        return String.valueOf(result);
    }
}
