package dev.rmpopt.fleet;

import java.io.Serializable;

/**
 * One host of a fleet: its place in the fleet's order (the schedulers' tie-break), its name and its
 * shape.
 *
 * @param index the host's position, 0 up, in the order the fleet file lists its groups
 * @param name  {@code shape-NNNN}, numbered within its shape from 0
 * @param shape the host's shape
 */
public record FleetHost(int index, String name, HostGroup shape) implements Serializable {

    private static final long serialVersionUID = 1L;
}
